import { parseXmlDocument, XmlDocumentError } from './parse-xml-document';
import { childElement } from './xml-element';

const T = 'http://schemas.microsoft.com/exchange/services/2006/types';

describe('parseXmlDocument', () => {
  it('resolves prefixes to namespace URIs, whatever the prefix', async () => {
    const google = await parseXmlDocument(
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns2:X xmlns:ns2="${T}" A="1">v</ns2:X></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
    );
    const plain = await parseXmlDocument(
      `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><X xmlns="${T}" A="1">v</X></Body></Envelope>`,
    );
    for (const doc of [google, plain]) {
      expect(doc.local).toBe('Envelope');
      const body = childElement(doc, 'http://schemas.xmlsoap.org/soap/envelope/', 'Body')!;
      const x = childElement(body, T, 'X')!;
      expect(x.text).toBe('v');
      expect(x.attributes.get('A')).toBe('1');
      expect([...x.attributes.keys()]).toEqual(['A']);
    }
  });

  it('keeps children in document order', async () => {
    const doc = await parseXmlDocument('<r><a/><b/><a/><c/></r>');
    expect(doc.children.map((c) => c.local)).toEqual(['a', 'b', 'a', 'c']);
  });

  it('accepts UTF-8 with a byte order mark and non-ASCII text', async () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<r>Zürich 東京</r>', 'utf8'),
    ]);
    expect((await parseXmlDocument(body)).text).toBe('Zürich 東京');
  });

  it('refuses UTF-16', async () => {
    await expect(parseXmlDocument(Buffer.from('\uFEFF<r/>', 'utf16le'))).rejects.toThrow(
      XmlDocumentError,
    );
  });

  it.each([
    ['an external entity', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['a URL entity', '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><r>&x;</r>'],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><r>&lol2;</r>',
    ],
    ['a bare doctype', '<!doctype r><r/>'],
  ])('refuses %s before parsing', async (_name, xml) => {
    await expect(parseXmlDocument(xml)).rejects.toThrow(/DTDs and entity declarations/);
  });

  it('refuses malformed XML, empty bodies and non-XML', async () => {
    await expect(parseXmlDocument('<r><a></r>')).rejects.toThrow(/not well-formed/);
    await expect(parseXmlDocument('')).rejects.toThrow(/empty/);
    await expect(parseXmlDocument('{"json":true}')).rejects.toThrow(XmlDocumentError);
  });

  it('bounds nesting depth and element count', async () => {
    const deep = '<a>'.repeat(40) + '</a>'.repeat(40);
    await expect(parseXmlDocument(deep)).rejects.toThrow(/nested deeper than 32/);
    const wide = `<r>${'<a/>'.repeat(50)}</r>`;
    await expect(parseXmlDocument(wide, { maxDepth: 32, maxElements: 20 })).rejects.toThrow(
      /more than 20 elements/,
    );
    await expect(parseXmlDocument(wide)).resolves.toBeDefined();
  });

  it('treats __proto__ and constructor element names as data, polluting nothing', async () => {
    const doc = await parseXmlDocument(
      '<r><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor></r>',
    );
    expect(doc.children.map((c) => c.local)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});
