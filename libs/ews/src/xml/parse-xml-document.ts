import { Parser } from 'xml2js';
import type { XmlElement } from './xml-element';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './xml-limits';
import { prescanXmlSize } from './xml-size-prescan';

/** Why a body is not acceptable XML. The EWS layer turns this into a SOAP fault. */
export class XmlDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlDocumentError';
  }
}

/** The shape xml2js produces with the options below (only what we read). */
interface Xml2jsNode {
  $ns?: { uri: string; local: string };
  $?: Record<string, { local: string; value: string }>;
  $$?: Xml2jsNode[];
  _?: string;
}

const UTF8_BOM = '\uFEFF';

/**
 * Decodes and parses an XML request body into a namespace-resolved tree.
 *
 * - UTF-8 with or without a BOM (Windows clients send one). UTF-16 is refused: no EWS client
 *   sends it and accepting it would mean guessing.
 * - Any DOCTYPE or ENTITY declaration is refused before the parser sees the document: SOAP
 *   forbids DTDs (SOAP 1.1 section 3), and refusing them up front rules out XXE and
 *   entity-expansion attacks whatever the parser would do with them.
 * - Depth and element count are bounded (see xml-limits.ts).
 * - Element names such as `__proto__` are data, never object keys on a shared prototype: the
 *   tree built here uses Maps and arrays only.
 */
export async function parseXmlDocument(
  body: Buffer | string,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): Promise<XmlElement> {
  let text = typeof body === 'string' ? body : decodeUtf8(body);
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  if (text.trim() === '') throw new XmlDocumentError('The request body is empty.');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new XmlDocumentError('DTDs and entity declarations are not allowed in SOAP requests.');
  }
  // The same limits again after parsing (toElementTree); checked here first because refusing a
  // hostile body must not cost what parsing it would.
  const problem = prescanXmlSize(text, limits);
  if (problem !== undefined) {
    throw 'tooDeep' in problem ? tooDeep(limits) : tooManyElements(limits);
  }

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
  let parsed: Record<string, Xml2jsNode>;
  try {
    parsed = (await parser.parseStringPromise(text)) as Record<string, Xml2jsNode>;
  } catch (error) {
    throw new XmlDocumentError(
      `The request is not well-formed XML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const rootKey =
    parsed === null || typeof parsed !== 'object' ? undefined : Object.keys(parsed)[0];
  if (rootKey === undefined) throw new XmlDocumentError('The request has no root element.');
  return toElementTree(parsed[rootKey], limits);
}

function tooDeep(limits: XmlLimits): XmlDocumentError {
  return new XmlDocumentError(`The request is nested deeper than ${limits.maxDepth} levels.`);
}

function tooManyElements(limits: XmlLimits): XmlDocumentError {
  return new XmlDocumentError(`The request has more than ${limits.maxElements} elements.`);
}

function decodeUtf8(body: Buffer): string {
  if (
    body.length >= 2 &&
    ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff))
  ) {
    throw new XmlDocumentError('Only UTF-8 encoded requests are supported.');
  }
  return body.toString('utf8');
}

interface MutableElement {
  ns: string;
  local: string;
  attributes: Map<string, string>;
  children: MutableElement[];
  text: string;
}

/** Iterative (not recursive) conversion, so a hostile nesting depth cannot overflow the stack. */
function toElementTree(root: Xml2jsNode, limits: XmlLimits): XmlElement {
  let count = 0;
  const convert = (node: Xml2jsNode): MutableElement => {
    count += 1;
    if (count > limits.maxElements) {
      throw tooManyElements(limits);
    }
    const attributes = new Map<string, string>();
    if (node.$ !== undefined) {
      for (const attr of Object.values(node.$)) {
        // xmlns declarations were resolved by the parser and are not data.
        if (attr.local !== undefined && !isNamespaceDeclaration(attr)) {
          attributes.set(attr.local, attr.value);
        }
      }
    }
    return {
      ns: node.$ns?.uri ?? '',
      local: node.$ns?.local ?? '',
      attributes,
      children: [],
      text: typeof node._ === 'string' ? node._ : '',
    };
  };

  const top = convert(root);
  const stack: Array<{ source: Xml2jsNode; target: MutableElement; depth: number }> = [
    { source: root, target: top, depth: 1 },
  ];
  while (stack.length > 0) {
    const { source, target, depth } = stack.pop()!;
    const kids = source.$$ ?? [];
    if (kids.length > 0 && depth + 1 > limits.maxDepth) {
      throw tooDeep(limits);
    }
    for (const kid of kids) {
      const child = convert(kid);
      target.children.push(child);
      stack.push({ source: kid, target: child, depth: depth + 1 });
    }
  }
  return top;
}

function isNamespaceDeclaration(
  attr: { local: string; value: string } & { prefix?: string; name?: string },
): boolean {
  return attr.prefix === 'xmlns' || attr.name === 'xmlns';
}
