import { BlockList, isIP } from 'node:net';
import { ConfigurationError } from '@app/config';

/**
 * Google Calendar Interop's source addresses (docs/protocol.md section 2, from Google's help
 * pages). Whether Google's token calls come from the same ranges is unknown, so the token
 * endpoint has its own allowlist.
 */
export const GOOGLE_INTEROP_RANGES: readonly string[] = [
  '74.125.88.0/27',
  '2001:4860:4::/64',
  '2404:6800:4::/64',
  '2607:f8b0:4::/64',
  '2800:3f0:4::/64',
  '2a00:1450:4::/64',
  '2c0f:fb50:4::/64',
];

/** A set of CIDR ranges with an exact textual form for logs and for Fastify's trustProxy. */
export interface AddressRanges {
  readonly cidrs: readonly string[];
  contains(address: string): boolean;
}

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) -> "192.0.2.1". */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * Parses a comma-separated list of CIDRs or single addresses; the keyword `google` stands for
 * Google's Interop ranges. `allowEverything: false` refuses 0.0.0.0/0 and ::/0, which would
 * make TRUST_PROXY believe any client's X-Forwarded-For.
 */
export function parseAddressRanges(
  text: string,
  key: string,
  options: { allowEverything: boolean },
): AddressRanges {
  const list = new BlockList();
  const cidrs: string[] = [];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .flatMap((s) => (s.toLowerCase() === 'google' ? GOOGLE_INTEROP_RANGES : [s]));
  if (items.length === 0) {
    throw new ConfigurationError([`${key} must list at least one CIDR when set`]);
  }
  for (const item of items) {
    const [rawAddress, rawPrefix, extra] = item.split('/');
    const address = normalizeAddress(rawAddress);
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefix = rawPrefix === undefined ? maxPrefix : Number(rawPrefix);
    if (
      family === 0 ||
      extra !== undefined ||
      (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) ||
      prefix > maxPrefix
    ) {
      throw new ConfigurationError([
        `${key} must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32${key === 'IP_ALLOWLIST' || key === 'TOKEN_IP_ALLOWLIST' ? ', google' : ''}); "${item}" is not one`,
      ]);
    }
    if (prefix === 0 && !options.allowEverything) {
      throw new ConfigurationError([
        `${key} must not contain ${item}: that would trust every client's X-Forwarded-For`,
      ]);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    cidrs.push(`${address}/${prefix}`);
  }
  return {
    cidrs,
    contains: (candidate: string) => {
      const normalized = normalizeAddress(candidate);
      const family = isIP(normalized);
      return family !== 0 && list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
