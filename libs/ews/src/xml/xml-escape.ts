const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;' };

/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab/CR/LF, lone surrogates,
 * U+FFFE/U+FFFF). A calendar subject containing one would otherwise make the whole response
 * unparsable for every client, so they are dropped.
 */
const INVALID_XML_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXmlText(value: string): string {
  return value.replace(INVALID_XML_CHARS, '').replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
}

export function escapeXmlAttribute(value: string): string {
  return value.replace(INVALID_XML_CHARS, '').replace(/[&<>"]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}
