/**
 * Indents compact XML (no mixed content, as the relay writes it) one element per line, so the
 * golden responses in test/fixtures/ews/golden read and diff well. Text stays on its element's
 * line; nothing else is changed, so `indentXml(a) === indentXml(b)` iff a and b are equal.
 */
export function indentXml(xml: string): string {
  const tokens = xml.split(/(<[^>]+>)/).filter((t) => t.length > 0);
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    const pad = '  '.repeat(depth);
    if (token.startsWith('<?')) {
      lines.push(token);
    } else if (token.startsWith('</')) {
      depth -= 1;
      lines.push('  '.repeat(depth) + token);
    } else if (token.startsWith('<') && token.endsWith('/>')) {
      lines.push(pad + token);
    } else if (token.startsWith('<')) {
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(pad + token + text + close);
        i += 2;
      } else {
        lines.push(pad + token);
        depth += 1;
      }
    } else {
      lines.push(pad + token);
    }
  }
  return `${lines.join('\n')}\n`;
}
