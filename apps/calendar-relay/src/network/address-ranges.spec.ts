import { ConfigurationError } from '@app/config';
import { GOOGLE_INTEROP_RANGES, normalizeAddress, parseAddressRanges } from './address-ranges';

const allow = (text: string) => parseAddressRanges(text, 'IP_ALLOWLIST', { allowEverything: true });

describe('parseAddressRanges', () => {
  it('expands the google keyword to Google Interop ranges, IPv4 and IPv6', () => {
    const ranges = allow('google');
    expect(ranges.cidrs).toEqual(GOOGLE_INTEROP_RANGES);
    expect(ranges.contains('74.125.88.1')).toBe(true);
    expect(ranges.contains('74.125.88.31')).toBe(true);
    expect(ranges.contains('74.125.88.32')).toBe(false);
    expect(ranges.contains('2001:4860:4::1234')).toBe(true);
    expect(ranges.contains('2001:4860:5::1')).toBe(false);
    expect(ranges.contains('2c0f:fb50:4:0:ffff::1')).toBe(true);
  });

  it('matches IPv4 peers seen as IPv4-mapped IPv6 addresses', () => {
    expect(normalizeAddress('::ffff:74.125.88.5')).toBe('74.125.88.5');
    expect(allow('74.125.88.0/27').contains('::ffff:74.125.88.5')).toBe(true);
    expect(allow('74.125.88.0/27').contains('::FFFF:74.125.88.200')).toBe(false);
  });

  it('combines keywords, CIDRs and single addresses', () => {
    const ranges = allow('google, 10.0.0.0/8, 192.0.2.7');
    expect(ranges.contains('10.200.1.1')).toBe(true);
    expect(ranges.contains('192.0.2.7')).toBe(true);
    expect(ranges.contains('192.0.2.8')).toBe(false);
    expect(ranges.contains('not an address')).toBe(false);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0/8',
    'example.com',
    '2001:db8::/129',
    '10.0.0.0/8/1',
    '10.0.0.0/x',
    ' , ',
  ])('refuses %j with a line naming the key', (text) => {
    expect(() => allow(text)).toThrow(ConfigurationError);
    expect(() => allow(text)).toThrow(/IP_ALLOWLIST/);
  });

  it('refuses to trust every proxy', () => {
    expect(() =>
      parseAddressRanges('0.0.0.0/0', 'TRUST_PROXY', { allowEverything: false }),
    ).toThrow(/would trust every client/);
    expect(() => parseAddressRanges('::/0', 'TRUST_PROXY', { allowEverything: false })).toThrow(
      /would trust every client/,
    );
    expect(
      parseAddressRanges('10.0.0.0/8', 'TRUST_PROXY', { allowEverything: false }).cidrs,
    ).toEqual(['10.0.0.0/8']);
  });
});
