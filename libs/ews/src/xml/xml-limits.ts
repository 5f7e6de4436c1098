/**
 * Limits applied to every XML body before and while it is parsed. A real GetUserAvailability
 * request for 100 mailboxes has about 700 elements and a depth of 8; these bounds leave ample
 * room for clients' extra headers while making billion-laughs style and deeply nested payloads
 * cheap to refuse.
 */
export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 32, maxElements: 20000 };
