import {
  AddressRanges,
  GOOGLE_INTEROP_RANGES,
  normalizeAddress,
  readAddressRanges,
} from './address-ranges';
import { ConfigurationError } from './configuration-error';
import { parseListenerSettings, parseRelayConfig } from './relay-config.schema';

const allow = (text: string): AddressRanges => {
  const result = readAddressRanges(text, { allowEverything: true, mentionGoogle: true });
  if ('problem' in result) throw new Error(result.problem);
  return result.ranges;
};

const BASE = { GOOGLE_CLIENT_ID: 'google-interop', GOOGLE_CLIENT_SECRET: 'secret-0123456789' };

function refusal(env: Record<string, string>): string {
  try {
    parseRelayConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('readAddressRanges', () => {
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

  it('tells two lists apart by their CIDRs only', () => {
    expect(allow('10.0.0.0/8, 192.0.2.7').equals(allow('10.0.0.0/8,192.0.2.7/32'))).toBe(true);
    expect(allow('10.0.0.0/8').equals(allow('10.0.0.0/9'))).toBe(false);
  });
});

describe('the CIDR lists in the schema', () => {
  it('hands the app parsed ranges', () => {
    const config = parseRelayConfig({
      ...BASE,
      IP_ALLOWLIST: 'google',
      TOKEN_IP_ALLOWLIST: '10.0.0.0/8',
      TRUST_PROXY: '10.1.0.0/16',
    });
    expect(config.ipAllowlist?.contains('74.125.88.1')).toBe(true);
    expect(config.tokenIpAllowlist?.cidrs).toEqual(['10.0.0.0/8']);
    expect(config.trustProxy?.cidrs).toEqual(['10.1.0.0/16']);
    expect(parseRelayConfig({ ...BASE, IP_ALLOWLIST: '  ' }).ipAllowlist).toBeUndefined();
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0/8',
    'example.com',
    '2001:db8::/129',
    '10.0.0.0/8/1',
    '10.0.0.0/x',
  ])('refuses IP_ALLOWLIST=%j in one line naming the key and the item', (text) => {
    expect(refusal({ IP_ALLOWLIST: text })).toBe(
      `Invalid configuration: IP_ALLOWLIST must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32, google); "${text.split(',')[0]}" is not one`,
    );
  });

  it('refuses a list of nothing, for each of the three keys', () => {
    expect(refusal({ TOKEN_IP_ALLOWLIST: ' , ' })).toBe(
      'Invalid configuration: TOKEN_IP_ALLOWLIST must list at least one CIDR when set',
    );
    expect(() => parseListenerSettings({ TRUST_PROXY: ',' })).toThrow(
      'TRUST_PROXY must list at least one CIDR when set',
    );
  });

  it('refuses to trust every proxy, and says what is wrong with a bad proxy CIDR', () => {
    for (const everything of ['0.0.0.0/0', '::/0']) {
      expect(() => parseListenerSettings({ TRUST_PROXY: everything })).toThrow(
        `Invalid configuration: TRUST_PROXY must not contain ${everything}: that would trust every client's X-Forwarded-For`,
      );
    }
    expect(() => parseListenerSettings({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(
      'Invalid configuration: TRUST_PROXY must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32); "10.0.0.0/33" is not one',
    );
    // An allowlist may let everyone in: that is what leaving it unset does too.
    expect(
      parseRelayConfig({ ...BASE, IP_ALLOWLIST: '0.0.0.0/0' }).ipAllowlist?.contains('203.0.113.9'),
    ).toBe(true);
  });
});
