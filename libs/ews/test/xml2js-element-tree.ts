import { Parser } from 'xml2js';
import type { XmlElement } from '../src/xml/xml-element';

/**
 * The relay's XML tree as it was built until the sax-based parser replaced it: xml2js with
 * namespaces and children in document order, converted to XmlElement. Kept as the reference
 * the new parser is compared with (parse-xml-document.equivalence.spec.ts). No limits, no
 * DOCTYPE check: only the tree.
 */

interface Xml2jsNode {
  $ns?: { uri: string; local: string };
  $?: Record<string, { local: string; value: string; prefix?: string; name?: string }>;
  $$?: Xml2jsNode[];
  _?: string;
}

interface MutableElement {
  ns: string;
  local: string;
  attributes: Map<string, string>;
  children: MutableElement[];
  text: string;
}

export async function xml2jsElementTree(text: string): Promise<XmlElement> {
  const parser = new Parser({
    xmlns: true,
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitArray: true,
    charsAsChildren: false,
    includeWhiteChars: false,
    strict: true,
    async: false,
  });
  const parsed = (await parser.parseStringPromise(text)) as Record<string, Xml2jsNode>;
  const rootKey = Object.keys(parsed)[0];
  return convert(parsed[rootKey]);
}

function convert(node: Xml2jsNode): MutableElement {
  const attributes = new Map<string, string>();
  for (const attr of Object.values(node.$ ?? {})) {
    if (attr.local !== undefined && attr.prefix !== 'xmlns' && attr.name !== 'xmlns') {
      attributes.set(attr.local, attr.value);
    }
  }
  return {
    ns: node.$ns?.uri ?? '',
    local: node.$ns?.local ?? '',
    attributes,
    children: (node.$$ ?? []).map(convert),
    text: typeof node._ === 'string' ? node._ : '',
  };
}
