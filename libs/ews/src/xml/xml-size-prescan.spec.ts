import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_XML_LIMITS } from './xml-limits';
import { prescanXmlSize } from './xml-size-prescan';

/** A generated element tree, its XML text, and its true size. */
interface Tree {
  readonly xml: string;
  readonly depth: number;
  readonly elements: number;
}

const name = fc.constantFrom('a', 't:Bias', 'm:Item', 'soap:Body');
// Attribute values and text with characters a naive scan would miscount.
const tricky = fc.constantFrom('', 'x', '>', '/>', '<b>', "it's", 'a &gt; b', '"');
const attribute = fc
  .tuple(fc.constantFrom('Id', 'xmlns:t'), tricky, fc.boolean())
  .map(([key, value, single]) =>
    single
      ? ` ${key}='${value.replace(/'/g, '&apos;')}'`
      : ` ${key}="${value.replace(/"/g, '&quot;')}"`,
  );
const noise = fc.constantFrom(
  '',
  'text',
  '<!-- <not> <an/> <element> -->',
  '<![CDATA[ <a><b></b></a> ]]>',
  '<?pi <x> ?>',
);

const tree: fc.Memo<Tree> = fc.memo((n) =>
  n <= 0
    ? fc.tuple(name, attribute).map(([tag, attr]) => ({
        xml: `<${tag}${attr}/>`,
        depth: 1,
        elements: 1,
      }))
    : fc
        .tuple(name, attribute, fc.array(fc.tuple(noise, tree(n - 1)), { maxLength: 3 }), noise)
        .map(([tag, attr, kids, tail]) => ({
          xml: `<${tag}${attr}>${kids.map(([pre, k]) => pre + k.xml).join('')}${tail}</${tag}>`,
          depth: 1 + Math.max(0, ...kids.map(([, k]) => k.depth)),
          elements: 1 + kids.reduce((sum, [, k]) => sum + k.elements, 0),
        })),
);

describe('prescanXmlSize', () => {
  it('agrees with the true depth and element count of any tree, whatever the limits', () => {
    fc.assert(
      fc.property(
        tree(5),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 60 }),
        (t, maxDepth, maxElements) => {
          const doc = `<?xml version="1.0"?>\n${t.xml}`;
          const verdict = prescanXmlSize(doc, { maxDepth, maxElements });
          if (t.elements > maxElements || t.depth > maxDepth) {
            expect(verdict).toBeDefined();
            // It stops at the first limit crossed in document order; either is a refusal.
          } else {
            expect(verdict).toBeUndefined();
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('passes every known client request with the default limits', () => {
    const dir = join(__dirname, '../../../../test/fixtures/ews');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      expect(
        prescanXmlSize(readFileSync(join(dir, file), 'utf8'), DEFAULT_XML_LIMITS),
      ).toBeUndefined();
    }
  });

  it('refuses a body of tens of thousands of nested or flat elements', () => {
    expect(
      prescanXmlSize('<a>'.repeat(37_000) + '</a>'.repeat(37_000), DEFAULT_XML_LIMITS),
    ).toEqual({
      tooDeep: true,
    });
    expect(prescanXmlSize(`<r>${'<x/>'.repeat(60_000)}</r>`, DEFAULT_XML_LIMITS)).toEqual({
      tooManyElements: true,
    });
  });
});
