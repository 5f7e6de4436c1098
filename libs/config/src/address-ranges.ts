import { BlockList, isIP } from 'node:net';

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

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) -> "192.0.2.1". */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * A set of CIDR ranges (TRUST_PROXY, IP_ALLOWLIST, TOKEN_IP_ALLOWLIST) as the configuration
 * holds it: parsed once by the schema, so config-check, start-up and every refresh judge a value
 * the same way. `cidrs` is the exact textual form for logs and for Fastify's trustProxy.
 */
export class AddressRanges {
  // Private: configurations are compared field by field (a refresh keeps unchanged parts), and
  // two lists with the same CIDRs are the same setting whatever BlockList object holds them.
  readonly #list = new BlockList();

  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/');
      this.#list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
  }

  contains(candidate: string): boolean {
    const normalized = normalizeAddress(candidate);
    const family = isIP(normalized);
    return family !== 0 && this.#list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  }

  equals(other: AddressRanges): boolean {
    return (
      this.cidrs.length === other.cidrs.length && this.cidrs.every((c, i) => c === other.cidrs[i])
    );
  }
}

export interface AddressRangeOptions {
  /** False refuses 0.0.0.0/0 and ::/0, which would make TRUST_PROXY believe any client. */
  readonly allowEverything: boolean;
  /** Mention the `google` keyword in the message (the allowlists; it works everywhere). */
  readonly mentionGoogle: boolean;
}

/**
 * Parses a comma-separated list of CIDRs or single addresses; the keyword `google` stands for
 * Google's Interop ranges. Returns the ranges, or what is wrong as the rest of a line that
 * starts with the key (`must be ...`), never echoing more than the offending item.
 */
export function readAddressRanges(
  text: string,
  options: AddressRangeOptions,
): { readonly ranges: AddressRanges } | { readonly problem: string } {
  const cidrs: string[] = [];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .flatMap((s) => (s.toLowerCase() === 'google' ? GOOGLE_INTEROP_RANGES : [s]));
  if (items.length === 0) return { problem: 'must list at least one CIDR when set' };
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
      return {
        problem: `must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32${options.mentionGoogle ? ', google' : ''}); "${item}" is not one`,
      };
    }
    if (prefix === 0 && !options.allowEverything) {
      return {
        problem: `must not contain ${item}: that would trust every client's X-Forwarded-For`,
      };
    }
    cidrs.push(`${address}/${prefix}`);
  }
  return { ranges: new AddressRanges(cidrs) };
}
