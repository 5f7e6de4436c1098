import { Injectable } from '@nestjs/common';
import { RelayConfigStore, type RelayConfig } from '@app/config';
import type { RelayCaller } from '@app/request-context';
import {
  CLOCK_TOLERANCE_SECONDS,
  signAccessToken,
  verifyAccessToken,
  type SignedAccessToken,
} from './access-token';
import { tokenKeysFor, type TokenKeys } from './token-keys';

/** How many verified tokens are remembered. Google holds one token per hour per client. */
export const VERIFIED_TOKEN_MEMORY = 256;

/**
 * Issues and verifies the relay's access tokens with the configuration in force at each call:
 * Vault may rotate the client secret (and so the derived key) while the relay runs.
 *
 * A token that verified is remembered with the configuration it verified under: Google presents
 * the same token with every request for an hour, and checking its HMAC and claims again cost
 * ~0.3 ms of CPU per request (the bench's profile). A remembered token is accepted only while the
 * configuration object is the same one (a rotated secret, issuer or client id is a new object,
 * see RelayConfigStore) and only until its expiry (the same clock tolerance as jose's check), so
 * the answer is always the one a full verification would give. Only tokens that verified are
 * remembered, never a presented string that failed.
 */
@Injectable()
export class AccessTokenService {
  /** Keys of the last configuration seen: derived once per configuration, not per request. */
  private cached?: { readonly config: RelayConfig; readonly keys: TokenKeys };
  /** Verified tokens, oldest first (Map order), at most VERIFIED_TOKEN_MEMORY. */
  private readonly verified = new Map<
    string,
    { readonly config: RelayConfig; readonly caller: RelayCaller }
  >();

  constructor(private readonly config: RelayConfigStore) {}

  /** A new token for the configured client (the caller has authenticated it). */
  async issue(now?: Date): Promise<SignedAccessToken> {
    const config = this.config.current();
    return signAccessToken({
      clientId: config.google.clientId,
      issuer: config.token.issuer,
      lifetimeSeconds: config.token.lifetimeSeconds,
      key: this.keys(config).signing,
      now,
    });
  }

  /** The caller a token stands for; AccessTokenRejectedError when it is not valid now. */
  async verify(token: string, now?: Date): Promise<RelayCaller> {
    const config = this.config.current();
    const remembered = this.verified.get(token);
    if (remembered !== undefined) {
      const nowMs = (now ?? new Date()).getTime();
      const validUntilMs = remembered.caller.expiresAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000;
      if (remembered.config === config && nowMs < validUntilMs) return remembered.caller;
      this.verified.delete(token);
    }
    const claims = await verifyAccessToken(token, {
      issuer: config.token.issuer,
      clientId: config.google.clientId,
      keys: this.keys(config).verifying,
      now,
    });
    const caller: RelayCaller = {
      clientId: claims.clientId,
      tokenId: claims.tokenId,
      expiresAt: claims.expiresAt,
    };
    if (this.verified.size >= VERIFIED_TOKEN_MEMORY) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, { config, caller });
    return caller;
  }

  /** One configuration per call: the client id, issuer and keys must come from the same. */
  private keys(config: RelayConfig): TokenKeys {
    // The store replaces the whole configuration object on a change, so identity tells whether
    // the keys derived last time still hold.
    if (this.cached?.config !== config) this.cached = { config, keys: tokenKeysFor(config) };
    return this.cached.keys;
  }
}
