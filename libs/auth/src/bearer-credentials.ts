/**
 * Reading `Authorization: Bearer <token>` (RFC 6750 section 2.1) and the challenges a refusal
 * carries (section 3). Pure.
 */

export const AUTH_REALM = 'calendar-relay';

export type PresentedBearer =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'token'; readonly token: string };

/** Three base64url segments: the only token shape the relay issues. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function presentedBearer(authorization: string | undefined): PresentedBearer {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'missing' };
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (match === null || !JWT_SHAPE.test(match[1])) return { kind: 'malformed' };
  return { kind: 'token', token: match[1] };
}

/**
 * The WWW-Authenticate value of a 401. RFC 6750 3.1: a request without any credentials gets the
 * challenge alone (no error code); a token that is malformed, expired, or otherwise invalid gets
 * `invalid_token`, with no description that would tell an attacker which check failed.
 */
export function bearerChallenge(presented: PresentedBearer['kind']): string {
  return presented === 'missing'
    ? `Bearer realm="${AUTH_REALM}"`
    : `Bearer realm="${AUTH_REALM}", error="invalid_token"`;
}

/** The challenge of a /token refusal after HTTP Basic (RFC 6749 5.2, RFC 7617). */
export const BASIC_CHALLENGE = `Basic realm="${AUTH_REALM}", charset="UTF-8"`;
