import { hkdfSync } from 'node:crypto';

/**
 * The HS256 keys of the relay's access tokens. Every replica derives the same key from the same
 * configuration, so any replica verifies a token another one issued without shared state. Pure.
 */

export interface TokenKeySettings {
  readonly google: { readonly clientSecret: string; readonly previousClientSecret?: string };
  readonly token: { readonly signingKey?: string };
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
 * TOKEN_SIGNING_KEY when set; otherwise the Google client secret, so a relay needs no extra
 * secret and rotating the client secret also retires the tokens issued under it. While a
 * previous client secret is configured, tokens signed under it stay valid (Google keeps its
 * token until expiry or a 401), which makes the rotation seamless.
 */
export function tokenKeysFor(settings: TokenKeySettings): TokenKeys {
  if (settings.token.signingKey !== undefined) {
    const key = deriveTokenKey(settings.token.signingKey);
    return { signing: key, verifying: [key] };
  }
  const signing = deriveTokenKey(settings.google.clientSecret);
  const previous = settings.google.previousClientSecret;
  return {
    signing,
    verifying:
      previous === undefined || previous === settings.google.clientSecret
        ? [signing]
        : [signing, deriveTokenKey(previous)],
  };
}
