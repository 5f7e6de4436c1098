export { AuthModule } from './auth.module';
export { BearerTokenGuard, BearerTokenRejectedException } from './bearer-token.guard';
export { AccessTokenService } from './access-token.service';
export {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_TYPE,
  AccessTokenRejectedError,
  signAccessToken,
  verifyAccessToken,
} from './access-token';
export type {
  AccessTokenClaims,
  AccessTokenRejectionReason,
  SignedAccessToken,
} from './access-token';
export { deriveTokenKey, tokenKeysFor } from './token-keys';
export type { TokenKeys } from './token-keys';
export { AUTH_REALM } from './bearer-credentials';
