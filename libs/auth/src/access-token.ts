import { randomUUID } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';

/**
 * The relay's access tokens: compact JWS (HS256) with issuer, audience, subject (the client id
 * the token was issued to), issue and expiry times, a token id, and for a tenant's own Google
 * client the tenant (`tenant`). JWT-shaped on purpose: ews-javascript-api refuses a bearer token
 * that is not `a.b.c` (docs/protocol.md section 2).
 */

/** Who the tokens are for: the relay's EWS endpoint, nothing else. */
export const ACCESS_TOKEN_AUDIENCE = 'calendar-relay:ews';
/** RFC 9068 media type: a token of another kind (an ID token, say) is never taken for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';
/** Allowed clock difference between the replica that issued a token and the one checking it. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** The private claim naming the tenant of a tenant's own Google client. */
export const TENANT_CLAIM = 'tenant';

export interface AccessTokenClaims {
  readonly clientId: string;
  /** The tenant whose own Google client the token was issued to; absent for the global client. */
  readonly tenant?: string;
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface SignOptions {
  readonly clientId: string;
  readonly tenant?: string;
  readonly issuer: string;
  readonly lifetimeSeconds: number;
  readonly key: Uint8Array;
  readonly now?: Date;
  readonly tokenId?: string;
}

export interface SignedAccessToken extends AccessTokenClaims {
  readonly token: string;
}

export async function signAccessToken(options: SignOptions): Promise<SignedAccessToken> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.lifetimeSeconds;
  const tokenId = options.tokenId ?? randomUUID();
  const token = await new SignJWT(
    options.tenant !== undefined ? { [TENANT_CLAIM]: options.tenant } : {},
  )
    .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(options.clientId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(tokenId)
    .sign(options.key);
  return {
    token,
    clientId: options.clientId,
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    tokenId,
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: new Date(expiresAt * 1000),
  };
}

/** Why a token was refused: for the relay's log only, never for the caller. */
export type AccessTokenRejectionReason =
  | 'malformed'
  | 'algorithm not allowed'
  | 'bad signature'
  | 'expired'
  | 'wrong issuer'
  | 'wrong audience'
  | 'wrong type'
  | 'unknown client'
  /** The client is now another tenant's (or the global one): a token's reach never changes. */
  | 'tenant changed'
  | 'claims missing';

export class AccessTokenRejectedError extends Error {
  constructor(readonly reason: AccessTokenRejectionReason) {
    super(`access token refused: ${reason}`);
    this.name = 'AccessTokenRejectedError';
  }
}

/** What verifying the tokens of one configured client takes. */
export interface ClientVerification {
  /** Tried in order; see tokenKeysFor. */
  readonly keys: readonly Uint8Array[];
  /** The tenant the client is for now; undefined for the global client. */
  readonly tenant?: string;
}

export interface VerifyOptions {
  readonly issuer: string;
  /**
   * The configured client of a token's subject, or undefined: a token for any other subject is
   * refused. Each client has its own keys, so one client's rotation leaves the others' tokens.
   */
  readonly clientOf: (clientId: string) => ClientVerification | undefined;
  readonly now?: Date;
}

/** The verified claims, or AccessTokenRejectedError saying why not. */
export async function verifyAccessToken(
  token: string,
  options: VerifyOptions,
): Promise<AccessTokenClaims> {
  // The subject only picks the keys to try; it counts once a signature has verified it.
  let subject: unknown;
  try {
    subject = decodeJwt(token).sub;
  } catch {
    throw new AccessTokenRejectedError('malformed');
  }
  if (typeof subject !== 'string') throw new AccessTokenRejectedError('claims missing');
  const client = options.clientOf(subject);
  if (client === undefined) throw new AccessTokenRejectedError('unknown client');
  let lastError: unknown = new AccessTokenRejectedError('bad signature');
  for (const key of client.keys) {
    try {
      const { payload } = await jwtVerify(token, key, {
        // Only HS256: `alg: none` and every other algorithm are refused before any key is used.
        algorithms: [ALGORITHM],
        issuer: options.issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        currentDate: options.now,
      });
      if (payload.sub !== subject) throw new AccessTokenRejectedError('unknown client');
      if (typeof payload.jti !== 'string' || payload.jti === '') {
        throw new AccessTokenRejectedError('claims missing');
      }
      // A tenant removed from TENANTS takes its client (and so its tokens) with it; a client id
      // that moved to another tenant, or to the global client, does not take old tokens along.
      if (payload[TENANT_CLAIM] !== client.tenant) {
        throw new AccessTokenRejectedError('tenant changed');
      }
      return {
        clientId: subject,
        ...(client.tenant !== undefined ? { tenant: client.tenant } : {}),
        tokenId: payload.jti,
        issuedAt: new Date(payload.iat! * 1000),
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch (error) {
      // A token signed under another of the keys fails the signature here and is tried with
      // the next key; every other failure is final.
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        lastError = error;
        continue;
      }
      throw rejectionFor(error);
    }
  }
  throw rejectionFor(lastError);
}

function rejectionFor(error: unknown): AccessTokenRejectedError {
  if (error instanceof AccessTokenRejectedError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AccessTokenRejectedError('bad signature');
  }
  if (error instanceof errors.JWTExpired) return new AccessTokenRejectedError('expired');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new AccessTokenRejectedError('algorithm not allowed');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new AccessTokenRejectedError('wrong issuer');
      case 'aud':
        return new AccessTokenRejectedError('wrong audience');
      case 'typ':
        return new AccessTokenRejectedError('wrong type');
      default:
        return new AccessTokenRejectedError(
          error.reason === 'missing' ? 'claims missing' : 'malformed',
        );
    }
  }
  return new AccessTokenRejectedError('malformed');
}
