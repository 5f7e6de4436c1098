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

/**
 * Anything either escape below could change: a character to escape, a character XML cannot
 * carry, or any surrogate (a valid pair is checked by the full expression). Most text (every
 * subject and location of a large answer) has none, and one test is cheaper than two replaces.
 */
// eslint-disable-next-line no-control-regex
const MAY_NEED_ESCAPING = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXmlText(value: string): string {
  if (!MAY_NEED_ESCAPING.test(value)) return value;
  return value.replace(INVALID_XML_CHARS, '').replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
}

export function escapeXmlAttribute(value: string): string {
  if (!MAY_NEED_ESCAPING.test(value)) return value;
  return value.replace(INVALID_XML_CHARS, '').replace(/[&<>"]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}
