import { Injectable } from '@nestjs/common';
import { RelayConfigStore, type RelayConfig } from '@app/config';
import { signAccessToken, verifyAccessToken, type SignedAccessToken } from './access-token';
import { tokenKeysFor, type TokenKeys } from './token-keys';
import type { RelayCaller } from './relay-caller';

/**
 * Issues and verifies the relay's access tokens with the configuration in force at each call:
 * Vault may rotate the client secret (and so the derived key) while the relay runs.
 */
@Injectable()
export class AccessTokenService {
  /** Keys of the last configuration seen: derived once per configuration, not per request. */
  private cached?: { readonly config: RelayConfig; readonly keys: TokenKeys };

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
    const claims = await verifyAccessToken(token, {
      issuer: config.token.issuer,
      clientId: config.google.clientId,
      keys: this.keys(config).verifying,
      now,
    });
    return { clientId: claims.clientId, tokenId: claims.tokenId, expiresAt: claims.expiresAt };
  }

  /** One configuration per call: the client id, issuer and keys must come from the same. */
  private keys(config: RelayConfig): TokenKeys {
    // The store replaces the whole configuration object on a change, so identity tells whether
    // the keys derived last time still hold.
    if (this.cached?.config !== config) this.cached = { config, keys: tokenKeysFor(config) };
    return this.cached.keys;
  }
}
