/** The authenticated caller of an EWS request, as the bearer guard verified it. */
export interface RelayCaller {
  /** The OAuth client id the token was issued to (the configured GOOGLE_CLIENT_ID). */
  readonly clientId: string;
  /** The token's `jti`: correlates lookups with the /token log line that issued it. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by BearerTokenGuard on every request it lets through; for the audit log. */
    relayCaller?: RelayCaller;
  }
}
