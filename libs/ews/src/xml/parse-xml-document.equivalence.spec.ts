import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { xml2jsElementTree } from '../../test/xml2js-element-tree';
import { parseXmlDocument } from './parse-xml-document';
import type { XmlElement } from './xml-element';

/**
 * The sax-based parser against the xml2js tree the relay used before: the same namespaces, local
 * names, attributes, text and child order for every known client request and for generated
 * documents with prefixes, default namespaces, redeclarations, CDATA, comments, entities and
 * whitespace.
 */

/** A comparable plain form (Maps are compared as ordered entries). */
function plain(element: XmlElement): unknown {
  return {
    ns: element.ns,
    local: element.local,
    attributes: [...element.attributes.entries()],
    text: element.text,
    children: element.children.map(plain),
  };
}

const NAMESPACES = ['urn:a', 'urn:b', 'http://schemas.microsoft.com/exchange/services/2006/types'];
const prefix = fc.constantFrom('', 'p', 'q', 'SOAP-ENV');
const local = fc.constantFrom('Item', 'Bias', 'Body', 'x', '__proto__', 'constructor');
const textPiece = fc.constantFrom(
  '',
  ' ',
  '\n  ',
  'text',
  'Zürich 東京',
  'a &amp; b &lt; c &#x41;&#66;',
  '<![CDATA[ <not/> & raw ]]>',
  '<![CDATA[   ]]>',
  '<!-- comment <x/> -->',
  '<?pi data?>',
);
const attributeValue = fc.constantFrom('', '1', 'a &quot;b&quot; &amp; c', '>', 'x y');

interface Generated {
  readonly xml: string;
}

/** An element that declares what it uses, so every document is namespace-well-formed. */
const element: fc.Memo<Generated> = fc.memo((depth) =>
  fc
    .tuple(
      prefix,
      local,
      fc.constantFrom(...NAMESPACES),
      fc.array(fc.tuple(fc.constantFrom('A', 'Id', 'Kind'), attributeValue), { maxLength: 2 }),
      fc.boolean(),
      depth <= 0
        ? fc.constant([] as [string, Generated][])
        : fc.array(fc.tuple(textPiece, element(depth - 1)), { maxLength: 3 }),
      textPiece,
    )
    .map(([p, name, uri, attrs, prefixedAttr, kids, tail]) => {
      const qname = p === '' ? name : `${p}:${name}`;
      const declaration = p === '' ? ` xmlns="${uri}"` : ` xmlns:${p}="${uri}"`;
      const seen = new Set<string>();
      const attributes = attrs
        .filter(([key]) => !seen.has(key) && seen.add(key))
        .map(([key, value]) => ` ${prefixedAttr && p !== '' ? `${p}:` : ''}${key}="${value}"`)
        .join('');
      const inner = kids.map(([text, kid]) => text + kid.xml).join('') + tail;
      return {
        xml:
          inner === '' && attributes.length % 2 === 0
            ? `<${qname}${declaration}${attributes}/>`
            : `<${qname}${declaration}${attributes}>${inner}</${qname}>`,
      };
    }),
);

describe('parseXmlDocument builds the tree xml2js built', () => {
  it('for every known client request', async () => {
    const dir = join(__dirname, '../../../../test/fixtures/ews');
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const xml = readFileSync(join(dir, file), 'utf8');
      expect({ file, tree: plain(await parseXmlDocument(xml)) }).toEqual({
        file,
        tree: plain(await xml2jsElementTree(xml)),
      });
    }
  });

  it('for generated documents', async () => {
    await fc.assert(
      fc.asyncProperty(element(4), fc.boolean(), async (doc, declaration) => {
        const xml = `${declaration ? '<?xml version="1.0" encoding="utf-8"?>\n' : ''}${doc.xml}`;
        expect(plain(await parseXmlDocument(xml))).toEqual(plain(await xml2jsElementTree(xml)));
      }),
      { numRuns: 1500 },
    );
  });

  it('and refuses what xml2js refused', async () => {
    for (const xml of [
      '<r><a></r>',
      '<p:r/>',
      '<r>text</r>trailing',
      '<r a="1" a="2"/>',
      '<r>&unknown;</r>',
      '<r/><r/>',
    ]) {
      const before = await xml2jsElementTree(xml).then(
        () => 'accepted',
        () => 'refused',
      );
      const now = await parseXmlDocument(xml).then(
        () => 'accepted',
        () => 'refused',
      );
      expect({ xml, now }).toEqual({ xml, now: before === 'refused' ? 'refused' : now });
    }
  });
});
