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

describe('escaping only what needs it', () => {
  // Text with nothing to escape is returned as it is (a fast path); everything else must come
  // out exactly as the full escaping writes it.
  it('agrees with the full escaping on every kind of character', () => {
    const full = (value: string) =>
      value
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
        .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
    for (const value of [
      'Weekly sync',
      'Café "Central" – Zürich',
      'Budget & <review>',
      'tab\there, new\nline',
      'bell\u0007',
      'emoji \uD83D\uDCC5',
      'lone \uD83D high',
      'lone \uDCC5 low',
      '\uFFFE\uFFFF',
      '',
    ]) {
      expect(escapeXmlText(value)).toBe(full(value));
      expect(escapeXmlAttribute(value)).toBe(full(value).replace(/"/g, '&quot;'));
    }
  });
});
