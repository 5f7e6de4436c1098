export { AuthModule } from './auth.module';
export { BearerTokenGuard, BearerTokenRejectedException } from './bearer-token.guard';
export { AccessTokenService } from './access-token.service';
export {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_TYPE,
  AccessTokenRejectedError,
  signAccessToken,
  TENANT_CLAIM,
  verifyAccessToken,
} from './access-token';
export type {
  AccessTokenClaims,
  AccessTokenRejectionReason,
  ClientVerification,
  SignedAccessToken,
} from './access-token';
export { googleClientsOf } from './google-clients';
export type { GoogleClient } from './google-clients';
export { CLOCK_TOLERANCE_SECONDS } from './access-token';
export { deriveTokenKey, tokenKeysFor } from './token-keys';
export type { ClientSecrets, TokenKeys } from './token-keys';
export { AUTH_REALM } from './bearer-credentials';
