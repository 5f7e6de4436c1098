import { All, Controller, Logger, Optional, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RelayConfigStore } from '@app/config';
import { RelayMetrics } from '@app/metrics';
import { AccessTokenService } from './access-token.service';
import { BASIC_CHALLENGE } from './bearer-credentials';
import { authenticateClient } from './client-authentication';
import { parseTokenRequest, type TokenRequestError } from './token-request';

/** RFC 6749 5.1: token responses (and their errors) must never be cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * `POST /token`: the OAuth 2.0 client-credentials grant Google Calendar Interop calls before
 * every EWS session (RFC 6749 4.4; protocol.md section 2). Replies are written here, not through
 * exception filters, so every answer has the RFC's JSON shape and headers.
 */
@Controller('token')
export class TokenController {
  private readonly logger = new Logger('TokenEndpoint');

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly config: RelayConfigStore,
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
    if (!parsed.ok) {
      this.refused(request, parsed.description, { error: parsed.error });
      this.metrics?.tokenRefused(parsed.error);
      this.sendError(reply, parsed.error, parsed.description, parsed.basicAttempted);
      return;
    }

    const matched = authenticateClient(parsed.client, this.config.current().google);
    if (matched === undefined) {
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

    const issued = await this.tokens.issue();
    this.metrics?.tokenIssued();
    this.logger.log({
      msg: 'token issued',
      requestId: request.id,
      clientIp: request.ip,
      clientId: issued.clientId,
      tokenId: issued.tokenId,
      authMethod: parsed.client.method,
      // Seeing "previous" after a rotation means Google still has the old secret.
      matchedSecret: matched,
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
