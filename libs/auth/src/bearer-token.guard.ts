import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContextOf } from '@app/request-context';
import { AccessTokenRejectedError } from './access-token';
import { AccessTokenService } from './access-token.service';
import { bearerChallenge, presentedBearer } from './bearer-credentials';

/**
 * The 401 of the bearer guard. It carries its WWW-Authenticate header in `headers` for exception
 * filters that write the reply themselves (the EWS fault filter applies `headers`); the guard
 * also sets the header on the reply, so Nest's default filter sends it too. The body is the same
 * for every refusal: which check failed is only in the relay's log.
 */
export class BearerTokenRejectedException extends UnauthorizedException {
  readonly headers: Readonly<Record<string, string>>;

  constructor(challenge: string) {
    super({ statusCode: 401, message: 'Unauthorized' });
    this.headers = { 'WWW-Authenticate': challenge };
  }
}

/**
 * Lets a request through only with a valid relay access token (`Authorization: Bearer <jwt>`)
 * and leaves the verified caller in the request's context (`caller`): its client id and, for a
 * tenant's own Google client, its tenant, which the mailbox policy limits its lookups to.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly logger = new Logger('BearerTokenGuard');

  constructor(private readonly tokens: AccessTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const presented = presentedBearer(request.headers.authorization);

    let reason: string;
    if (presented.kind === 'token') {
      try {
        requestContextOf(request).caller = await this.tokens.verify(presented.token);
        return true;
      } catch (error) {
        if (!(error instanceof AccessTokenRejectedError)) throw error;
        reason = error.reason;
      }
    } else {
      reason = presented.kind === 'missing' ? 'no bearer token' : 'not a bearer JWT';
    }

    this.logger.warn({
      msg: 'bearer token refused',
      reason,
      requestId: request.id,
      clientIp: request.ip,
    });
    const challenge = bearerChallenge(presented.kind);
    void http.getResponse<FastifyReply>().header('WWW-Authenticate', challenge);
    throw new BearerTokenRejectedException(challenge);
  }
}
