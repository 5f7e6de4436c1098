/**
 * A namespace-resolved XML element: what the EWS parsers work on. Prefixes are gone (Google
 * writes SOAP-ENV/ns2/ns3, others soap/m/t or default namespaces): only URIs and local names
 * remain. Attributes are keyed by local name (EWS attributes are unqualified).
 */
export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside the element, untrimmed. */
  readonly text: string;
}

export function childElement(
  parent: XmlElement,
  ns: string,
  local: string,
): XmlElement | undefined {
  return parent.children.find((c) => c.local === local && c.ns === ns);
}

export function childElements(parent: XmlElement, ns: string, local: string): XmlElement[] {
  return parent.children.filter((c) => c.local === local && c.ns === ns);
}

/** Trimmed text of a child element, or undefined when the child is absent. */
export function childText(parent: XmlElement, ns: string, local: string): string | undefined {
  const child = childElement(parent, ns, local);
  return child === undefined ? undefined : child.text.trim();
}
