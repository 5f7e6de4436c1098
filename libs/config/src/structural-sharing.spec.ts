import { AddressRanges } from './address-ranges';
import { shareUnchanged } from './structural-sharing';

describe('shareUnchanged', () => {
  const tenant = (name: string, secret: string) => ({
    name,
    domains: [`${name}.com`],
    graph: { clientId: `${name}-app`, clientSecret: secret, concurrency: 4 },
  });

  it('keeps the previous object of every part that did not change', () => {
    const previous = { port: 8080, tenants: [tenant('a', 's1'), tenant('b', 's1')] };
    const next = { port: 8080, tenants: [tenant('a', 's2'), tenant('b', 's1')] };
    const shared = shareUnchanged(previous, next);
    expect(shared).toEqual(next);
    expect(shared).not.toBe(previous);
    expect(shared.tenants[1]).toBe(previous.tenants[1]);
    expect(shared.tenants[0]).not.toBe(previous.tenants[0]);
    expect(shared.tenants[0].domains).toBe(previous.tenants[0].domains);
    expect(shared.tenants[0].graph.clientSecret).toBe('s2');
  });

  it('returns the previous configuration itself when nothing changed', () => {
    const previous = { tenants: [tenant('a', 's1')], allow: new AddressRanges(['10.0.0.0/8']) };
    const next = { tenants: [tenant('a', 's1')], allow: new AddressRanges(['10.0.0.0/8']) };
    expect(shareUnchanged(previous, next)).toBe(previous);
  });

  it('sees added, removed and undefined parts as changes', () => {
    const previous: { a: number; b?: number } = { a: 1 };
    expect(shareUnchanged(previous, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(shareUnchanged<{ a: number; b?: number }>({ a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1 });
    const empty = {};
    expect(shareUnchanged<{ a?: number }>(empty, { a: undefined })).not.toBe(empty);
    expect(shareUnchanged([1, 2], [1])).toEqual([1]);
    const ranges = new AddressRanges(['10.0.0.0/9']);
    expect(shareUnchanged(new AddressRanges(['10.0.0.0/8']), ranges)).toBe(ranges);
  });
});
