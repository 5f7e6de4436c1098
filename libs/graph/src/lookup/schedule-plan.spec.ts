import fc from 'fast-check';
import { mailboxKey } from '@app/availability';
import { planScheduleChunks, selectMailboxes } from './schedule-plan';

describe('selectMailboxes', () => {
  it('keeps each mailbox once, case-insensitively, in first-seen order and first spelling', () => {
    const selection = selectMailboxes(
      [
        'Ann@Contoso.com',
        'bob@contoso.com',
        'ann@contoso.COM',
        ' bob@contoso.com ',
        'cy@contoso.com',
      ],
      [],
    );
    expect(selection.allowed).toEqual(['Ann@Contoso.com', 'bob@contoso.com', 'cy@contoso.com']);
    expect(selection.outsideAllowedDomains).toEqual([]);
  });

  it('allows every domain when ALLOWED_DOMAINS is empty', () => {
    expect(selectMailboxes(['a@x.org', 'b@y.net'], []).allowed).toEqual(['a@x.org', 'b@y.net']);
  });

  it('sends only the allowed domains to Graph, compared case-insensitively and exactly', () => {
    const selection = selectMailboxes(
      [
        'a@Contoso.com',
        'b@fabrikam.com',
        'c@sub.contoso.com',
        'd@contoso.com.evil.io',
        'e@CONTOSO.COM',
      ],
      ['contoso.com'],
    );
    expect(selection.allowed).toEqual(['a@Contoso.com', 'e@CONTOSO.COM']);
    expect(selection.outsideAllowedDomains).toEqual([
      'b@fabrikam.com',
      'c@sub.contoso.com',
      'd@contoso.com.evil.io',
    ]);
  });

  it('treats an address without a domain as outside any non-empty allow list', () => {
    expect(selectMailboxes(['nobody', 'x@'], ['contoso.com']).outsideAllowedDomains).toEqual([
      'nobody',
      'x@',
    ]);
  });
});

describe('planScheduleChunks', () => {
  const addresses = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@contoso.com`);

  it('asks for 45 mailboxes in 3 calls of 15, each anchored on its own first mailbox', () => {
    const chunks = planScheduleChunks(addresses(45), 20);
    expect(chunks.map((c) => c.schedules.length)).toEqual([15, 15, 15]);
    expect(chunks.map((c) => c.anchor)).toEqual([
      'user0@contoso.com',
      'user15@contoso.com',
      'user30@contoso.com',
    ]);
  });

  it('needs one call for up to 20 and none for nothing', () => {
    expect(planScheduleChunks(addresses(20), 20)).toHaveLength(1);
    expect(planScheduleChunks(addresses(21), 20).map((c) => c.schedules.length)).toEqual([11, 10]);
    expect(planScheduleChunks([], 20)).toEqual([]);
  });

  it('rejects a nonsensical chunk size', () => {
    expect(() => planScheduleChunks(addresses(3), 0)).toThrow(RangeError);
  });

  it('covers every distinct mailbox exactly once, in order, in the fewest calls with distinct anchors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...addresses(60), 'USER1@contoso.com', 'User2@Contoso.com'), {
          maxLength: 150,
        }),
        fc.integer({ min: 1, max: 25 }),
        (mailboxes, max) => {
          const chunks = planScheduleChunks(mailboxes, max);
          const flat = chunks.flatMap((c) => c.schedules);
          const distinct = [...new Map(mailboxes.map((m) => [mailboxKey(m), m])).keys()];
          expect(flat.map(mailboxKey)).toEqual(distinct);
          expect(chunks).toHaveLength(Math.ceil(distinct.length / max));
          for (const chunk of chunks) {
            expect(chunk.schedules.length).toBeLessThanOrEqual(max);
            expect(chunk.anchor).toBe(chunk.schedules[0]);
          }
          expect(new Set(chunks.map((c) => mailboxKey(c.anchor))).size).toBe(chunks.length);
          const sizes = chunks.map((c) => c.schedules.length);
          if (sizes.length > 0)
            expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
