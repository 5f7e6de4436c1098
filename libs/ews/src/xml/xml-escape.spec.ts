import { parseXmlDocument } from './parse-xml-document';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape';

describe('XML escaping', () => {
  it('round-trips markup characters through a real parser', async () => {
    const subject = `Q&A <script> "quoted" 'single' Zürich`;
    const doc = await parseXmlDocument(
      `<r a="${escapeXmlAttribute(subject)}">${escapeXmlText(subject)}</r>`,
    );
    expect(doc.text).toBe(subject);
    expect(doc.attributes.get('a')).toBe(subject);
  });

  it('drops characters XML cannot carry, so one bad subject cannot break a whole response', async () => {
    const subject = 'a\u0000b\u0008c\u001Fd\uFFFEe\uD800f\tg';
    const escaped = escapeXmlText(subject);
    expect(escaped).toBe('abcdef\tg');
    await expect(parseXmlDocument(`<r>${escaped}</r>`)).resolves.toBeDefined();
  });

  it('keeps valid surrogate pairs (emoji) intact', () => {
    expect(escapeXmlText('Standup 🚀')).toBe('Standup 🚀');
  });
});
