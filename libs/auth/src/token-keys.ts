import { hkdfSync } from 'node:crypto';

/**
 * The HS256 keys of the relay's access tokens. Every replica derives the same key from the same
 * configuration, so any replica verifies a token another one issued without shared state. Pure.
 */

/** The secrets of one Google client (the global one, or a tenant's own). */
export interface ClientSecrets {
  readonly clientSecret: string;
  readonly previousClientSecret?: string;
}

export interface TokenKeys {
  /** Signs new tokens. */
  readonly signing: Uint8Array;
  /** Verifies presented tokens, the signing key first. */
  readonly verifying: readonly Uint8Array[];
}

// Domain separation: a key derived here is useless for anything else derived from the same
// secret, and a change of token format changes the info string (and so every key).
const SALT = 'calendar-relay access token';
const INFO = 'HS256 signing key v1';

/** A 256-bit HS256 key derived with HKDF-SHA256 (RFC 5869) from secret material. */
export function deriveTokenKey(material: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', Buffer.from(material, 'utf8'), SALT, INFO, 32));
}

/**
 * The keys of one client's tokens: TOKEN_SIGNING_KEY (`signingKey`) when set, shared by every
 * client; otherwise that client's own secret, so a relay needs no extra secret and rotating a
 * client's secret retires the tokens issued under it, and only those: each Google client (the
 * global one and every tenant's own) has keys of its own. While a previous client secret is
 * configured, tokens signed under it stay valid (Google keeps its token until expiry or a 401),
 * which makes the rotation seamless.
 *
 * A shared key does not let one client's token pass for another's: the subject is signed, and
 * the verifier takes the keys of the subject's client only (access-token.ts).
 */
export function tokenKeysFor(client: ClientSecrets, signingKey?: string): TokenKeys {
  if (signingKey !== undefined) {
    const key = deriveTokenKey(signingKey);
    return { signing: key, verifying: [key] };
  }
  const signing = deriveTokenKey(client.clientSecret);
  const previous = client.previousClientSecret;
  return {
    signing,
    verifying:
      previous === undefined || previous === client.clientSecret
        ? [signing]
        : [signing, deriveTokenKey(previous)],
  };
}
