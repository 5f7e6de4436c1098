import { Injectable } from '@nestjs/common';
import { RelayConfigStore, type RelayConfig } from '@app/config';
import { TokenAttemptLimiter, type TokenAttemptLimits } from './token-attempt-limiter';

/** Addresses and client ids remembered per dimension: ~100 bytes each, so about 1 MB at most. */
const MAX_TRACKED_KEYS = 10_000;

/**
 * The token endpoint's brute-force limiter with the configured limits. State lives as long as
 * the limits do: a configuration refresh (Vault) that keeps them keeps the counts, one that
 * changes them starts afresh.
 */
@Injectable()
export class TokenAttempts {
  private current?: { readonly limits: TokenAttemptLimits; readonly limiter: TokenAttemptLimiter };

  constructor(private readonly config: RelayConfigStore) {}

  limiter(): TokenAttemptLimiter {
    const limits = limitsOf(this.config.current());
    if (this.current === undefined || !sameLimits(this.current.limits, limits)) {
      this.current = { limits, limiter: new TokenAttemptLimiter(limits) };
    }
    return this.current.limiter;
  }
}

function limitsOf(config: RelayConfig): TokenAttemptLimits {
  const a = config.token.attempts;
  return {
    requestsPerMinutePerAddress: a.requestsPerMinutePerAddress,
    failuresPerAddress: a.failuresPerAddress,
    failuresPerClient: a.failuresPerClient,
    lockoutMs: a.lockoutSeconds * 1000,
    maxTrackedKeys: MAX_TRACKED_KEYS,
  };
}

function sameLimits(a: TokenAttemptLimits, b: TokenAttemptLimits): boolean {
  return (Object.keys(a) as Array<keyof TokenAttemptLimits>).every((k) => a[k] === b[k]);
}

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) counts as "192.0.2.1". */
export function attemptAddressOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1] : ip.toLowerCase();
}
