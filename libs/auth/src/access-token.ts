import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The relay's access tokens: compact JWS (HS256) with issuer, audience, subject (the client id),
 * issue and expiry times and a token id. JWT-shaped on purpose: ews-javascript-api refuses a
 * bearer token that is not `a.b.c` (docs/protocol.md section 2).
 */

/** Who the tokens are for: the relay's EWS endpoint, nothing else. */
export const ACCESS_TOKEN_AUDIENCE = 'calendar-relay:ews';
/** RFC 9068 media type: a token of another kind (an ID token, say) is never taken for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';
/** Allowed clock difference between the replica that issued a token and the one checking it. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface AccessTokenClaims {
  readonly clientId: string;
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface SignOptions {
  readonly clientId: string;
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
  const token = await new SignJWT({})
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
  | 'claims missing';

export class AccessTokenRejectedError extends Error {
  constructor(readonly reason: AccessTokenRejectionReason) {
    super(`access token refused: ${reason}`);
    this.name = 'AccessTokenRejectedError';
  }
}

export interface VerifyOptions {
  readonly issuer: string;
  /** The configured client id: a token for any other subject is refused. */
  readonly clientId: string;
  /** Tried in order; see tokenKeysFor. */
  readonly keys: readonly Uint8Array[];
  readonly now?: Date;
}

/** The verified claims, or AccessTokenRejectedError saying why not. */
export async function verifyAccessToken(
  token: string,
  options: VerifyOptions,
): Promise<AccessTokenClaims> {
  let lastError: unknown = new AccessTokenRejectedError('bad signature');
  for (const key of options.keys) {
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
      if (payload.sub !== options.clientId) throw new AccessTokenRejectedError('unknown client');
      if (typeof payload.jti !== 'string' || payload.jti === '') {
        throw new AccessTokenRejectedError('claims missing');
      }
      return {
        clientId: payload.sub,
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
