import type { VaultAuthMethod } from '../secret-source.settings';

/**
 * When and how to keep the relay's Vault token alive. Vault tokens expire after their TTL unless
 * renewed (auth/token/renew-self), and a renewal cannot extend a token past its max TTL: near
 * that point, or for a token that is not renewable, only a new login helps, which the AppRole and
 * Kubernetes methods can do by themselves and a configured VAULT_TOKEN cannot.
 */

export interface TokenLease {
  /** False for a token without a TTL (a root token, for example): nothing to do. */
  readonly expires: boolean;
  /** Seconds left, as Vault reported them (whole seconds). */
  readonly ttlSeconds: number;
  readonly renewable: boolean;
  /** The TTL the token had when obtained (login or start-up lookup). */
  readonly grantedTtlSeconds: number;
}

export type TokenPlan =
  | { readonly action: 'none' }
  | { readonly action: 'renew'; readonly inMs: number }
  | { readonly action: 'login'; readonly inMs: number }
  /** A VAULT_TOKEN that cannot be renewed (further): the relay can only warn before it expires. */
  | { readonly action: 'expires'; readonly inMs: number };

/** Act once two thirds of the remaining TTL have passed, leaving a third for retries. */
export const RENEW_AT_FRACTION = 2 / 3;
/** Renewals are at least this far apart, whatever Vault answers. */
export const MIN_RENEW_DELAY_MS = 1000;

export function planTokenRenewal(lease: TokenLease, method: VaultAuthMethod): TokenPlan {
  if (!lease.expires) return { action: 'none' };
  const at = Math.max(0, Math.floor(lease.ttlSeconds * RENEW_AT_FRACTION * 1000));
  if (method !== 'token') {
    // A renewal that granted less than half the original TTL has met the token's max TTL:
    // renewing again would only shrink it further, so log in for a fresh token instead.
    if (!lease.renewable || lease.ttlSeconds < lease.grantedTtlSeconds / 2) {
      return { action: 'login', inMs: at };
    }
  } else if (!lease.renewable || lease.ttlSeconds < 2) {
    return { action: 'expires', inMs: lease.ttlSeconds * 1000 };
  }
  return { action: 'renew', inMs: Math.max(MIN_RENEW_DELAY_MS, at) };
}
