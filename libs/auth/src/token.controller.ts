import { All, Controller, Logger, Optional, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayMetrics } from '@app/metrics';
import { AccessTokenService } from './access-token.service';
import { BASIC_CHALLENGE } from './bearer-credentials';
import { authenticateAmong, configuredClientNamed } from './client-authentication';
import type { TokenAttempt, TokenAttemptDecision } from './token-attempt-limiter';
import { attemptAddressOf, TokenAttempts } from './token-attempts.service';
import { parseTokenRequest, type TokenRequestError } from './token-request';

/** RFC 6749 5.1: token responses (and their errors) must never be cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * `POST /token`: the OAuth 2.0 client-credentials grant Google Calendar Interop calls before
 * every EWS session (RFC 6749 4.4; docs/protocol.md section 2). Replies are written here, not
 * through exception filters, so every answer has the RFC's JSON shape and headers.
 */
@Controller('token')
export class TokenController {
  private readonly logger = new Logger('TokenEndpoint');

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly attempts: TokenAttempts,
    @Optional() private readonly metrics?: RelayMetrics,
  ) {}

  // @All rather than @Post: another method gets 405 with Allow (RFC 9110 15.5.6), not a 404
  // that would suggest a wrong URL.
  @All()
  async token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (request.method !== 'POST') {
      this.refused(request, 'method not allowed', { method: request.method });
      this.metrics?.tokenRefused('method_not_allowed');
      void reply
        .status(405)
        .headers({ Allow: 'POST', ...NO_STORE })
        .send({ error: 'invalid_request', error_description: 'Use POST.' });
      return;
    }

    const parsed = parseTokenRequest({
      authorization: request.headers.authorization,
      body: request.body,
    });
    // Every POST counts against its address's rate, malformed ones too; a locked-out address or
    // client id is refused before its credentials are even compared. The clients: the global
    // Google client and each tenant's own, every one with its own lockout.
    const clients = this.tokens.clients();
    const limiter = this.attempts.limiter();
    const named = parsed.ok ? configuredClientNamed(parsed.client, clients) : undefined;
    const attempt: TokenAttempt = {
      address: attemptAddressOf(request.ip),
      // Only configured ids are tracked per client: invented ids are judged by address alone.
      ...(named !== undefined ? { clientId: named.clientId } : {}),
    };
    const decision = limiter.admit(attempt);
    if (!decision.allowed) {
      this.tooManyRequests(request, reply, decision);
      return;
    }

    if (!parsed.ok) {
      this.refused(request, parsed.description, { error: parsed.error });
      this.metrics?.tokenRefused(parsed.error);
      this.sendError(reply, parsed.error, parsed.description, parsed.basicAttempted);
      return;
    }

    const matched = authenticateAmong(parsed.client, clients);
    if (matched === undefined) {
      for (const lockout of limiter.recordFailure(attempt)) {
        this.logger.warn({
          msg: 'token lockout started',
          dimension: lockout.dimension,
          ...(lockout.dimension === 'address'
            ? { clientIp: lockout.key }
            : { clientId: lockout.key }),
          until: new Date(lockout.untilMs).toISOString(),
          requestId: request.id,
        });
      }
      this.refused(request, 'wrong client credentials', { authMethod: parsed.client.method });
      this.metrics?.tokenRefused('invalid_client');
      this.sendError(
        reply,
        'invalid_client',
        'Client authentication failed.',
        parsed.client.method === 'client_secret_basic',
      );
      return;
    }

    limiter.recordSuccess(attempt);
    const issued = await this.tokens.issue(matched.client);
    this.metrics?.tokenIssued();
    this.logger.log({
      msg: 'token issued',
      requestId: request.id,
      clientIp: request.ip,
      clientId: issued.clientId,
      // A tenant's own client: the token sees that tenant's mailboxes only.
      ...(issued.tenant !== undefined ? { tenant: issued.tenant } : {}),
      tokenId: issued.tokenId,
      authMethod: parsed.client.method,
      // Seeing "previous" after a rotation means Google still has the old secret.
      matchedSecret: matched.secret,
      expiresAt: issued.expiresAt.toISOString(),
    });
    void reply
      .status(200)
      .headers(NO_STORE)
      .send({
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: Math.round((issued.expiresAt.getTime() - issued.issuedAt.getTime()) / 1000),
      });
  }

  /**
   * 429 with Retry-After (RFC 6585 4) and an RFC 6749 5.2 shaped body. The body says only to
   * wait: whether the credentials would have been right is not evaluated, let alone told.
   */
  private tooManyRequests(
    request: FastifyRequest,
    reply: FastifyReply,
    decision: Extract<TokenAttemptDecision, { allowed: false }>,
  ): void {
    this.refused(request, 'too many token requests', {
      limit: decision.reason,
      retryAfterSeconds: String(decision.retryAfterSeconds),
    });
    this.metrics?.tokenRefused('rate_limited');
    void reply
      .status(429)
      .headers({ ...NO_STORE, 'Retry-After': String(decision.retryAfterSeconds) })
      .send({
        error: 'temporarily_unavailable',
        error_description: `Too many token requests; retry after ${decision.retryAfterSeconds} seconds.`,
      });
  }

  private sendError(
    reply: FastifyReply,
    error: TokenRequestError,
    description: string,
    basicAttempted: boolean,
  ): void {
    // RFC 6749 5.2: invalid_client is a 401, with a challenge for the scheme the client tried.
    const status = error === 'invalid_client' ? 401 : 400;
    void reply
      .status(status)
      .headers({
        ...NO_STORE,
        ...(status === 401 && basicAttempted ? { 'WWW-Authenticate': BASIC_CHALLENGE } : {}),
      })
      .send({ error, error_description: description });
  }

  /** One line per refusal: why, and from where; never the presented id, secret or token. */
  private refused(request: FastifyRequest, reason: string, extra: Record<string, string>): void {
    this.logger.warn({
      msg: 'token refused',
      reason,
      ...extra,
      requestId: request.id,
      clientIp: request.ip,
    });
  }
}
