import { Injectable } from '@nestjs/common';
import { RelayConfigStore, type RelayConfig } from '@app/config';
import type { RelayCaller } from '@app/request-context';
import {
  CLOCK_TOLERANCE_SECONDS,
  signAccessToken,
  verifyAccessToken,
  type SignedAccessToken,
} from './access-token';
import { googleClientsOf, type GoogleClient } from './google-clients';
import { tokenKeysFor, type TokenKeys } from './token-keys';

/** How many verified tokens are remembered. Google holds one token per hour per client. */
export const VERIFIED_TOKEN_MEMORY = 256;

/** A configured Google client with the keys of its tokens. */
interface KeyedClient {
  readonly client: GoogleClient;
  readonly keys: TokenKeys;
}

/**
 * Issues and verifies the relay's access tokens with the configuration in force at each call:
 * Vault may rotate a client secret (and so the derived key) while the relay runs. Each Google
 * client (the global one and every tenant's own) has keys of its own (token-keys.ts), and a
 * token is verified with the keys of its subject's client only.
 *
 * A token that verified is remembered with the configuration it verified under: Google presents
 * the same token with every request for an hour, and checking its HMAC and claims again cost
 * ~0.3 ms of CPU per request (the bench's profile). A remembered token is accepted only while the
 * configuration object is the same one (a rotated secret, issuer, client id or tenant list is a
 * new object, see RelayConfigStore) and only until its expiry (the same clock tolerance as jose's
 * check), so the answer is always the one a full verification would give. Only tokens that
 * verified are remembered, never a presented string that failed.
 */
@Injectable()
export class AccessTokenService {
  /** The clients and keys of the last configuration seen: derived once per configuration. */
  private cached?: {
    readonly config: RelayConfig;
    readonly clients: ReadonlyMap<string, KeyedClient>;
  };
  /** Verified tokens, oldest first (Map order), at most VERIFIED_TOKEN_MEMORY. */
  private readonly verified = new Map<
    string,
    { readonly config: RelayConfig; readonly caller: RelayCaller }
  >();

  constructor(private readonly config: RelayConfigStore) {}

  /** The Google clients /token accepts now: the global one first, then the tenants' own. */
  clients(): readonly GoogleClient[] {
    return [...this.clientsOf(this.config.current()).values()].map((c) => c.client);
  }

  /**
   * A new token for `client` (the caller has authenticated it; the global client when absent),
   * signed with that client's key. Throws when the client is not configured now.
   */
  async issue(client?: GoogleClient, now?: Date): Promise<SignedAccessToken> {
    const config = this.config.current();
    const clientId = client?.clientId ?? config.google.clientId;
    const keyed = this.clientsOf(config).get(clientId);
    if (keyed === undefined) throw new Error('no such Google client is configured');
    return signAccessToken({
      clientId,
      ...(keyed.client.tenant !== undefined ? { tenant: keyed.client.tenant } : {}),
      issuer: config.token.issuer,
      lifetimeSeconds: config.token.lifetimeSeconds,
      key: keyed.keys.signing,
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
    const clients = this.clientsOf(config);
    const claims = await verifyAccessToken(token, {
      issuer: config.token.issuer,
      clientOf: (clientId) => {
        const keyed = clients.get(clientId);
        return keyed && { keys: keyed.keys.verifying, tenant: keyed.client.tenant };
      },
      now,
    });
    const caller: RelayCaller = {
      clientId: claims.clientId,
      ...(claims.tenant !== undefined ? { tenant: claims.tenant } : {}),
      tokenId: claims.tokenId,
      expiresAt: claims.expiresAt,
    };
    if (this.verified.size >= VERIFIED_TOKEN_MEMORY) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, { config, caller });
    return caller;
  }

  /** One configuration per call: the client ids, issuer and keys must come from the same. */
  private clientsOf(config: RelayConfig): ReadonlyMap<string, KeyedClient> {
    // The store replaces the whole configuration object on a change, so identity tells whether
    // the keys derived last time still hold.
    if (this.cached?.config !== config) {
      const clients = new Map<string, KeyedClient>();
      for (const client of googleClientsOf(config)) {
        clients.set(client.clientId, {
          client,
          keys: tokenKeysFor(client, config.token.signingKey),
        });
      }
      this.cached = { config, clients };
    }
    return this.cached.clients;
  }
}
