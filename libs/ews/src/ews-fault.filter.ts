import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContextOf } from '@app/request-context';
import { EwsFault } from './ews-fault';
import { renderFault } from './soap/render-envelope';

export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * The one place EWS errors become HTTP answers. It writes the XML itself: Nest's Fastify adapter
 * would otherwise turn error bodies into JSON, which no EWS client can read (Google reports it
 * as "EWS response error").
 *
 * - EwsFault -> 500 soap:Fault with the EWS ResponseCode.
 * - HttpException (the bearer guard's 401, body too large, ...) -> its status and headers, no
 *   XML body detail that would help an attacker.
 * - Anything else -> 500 ErrorInternalServerError, logged with its stack.
 */
@Catch()
export class EwsFaultFilter implements ExceptionFilter {
  private readonly logger = new Logger('EwsFaultFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The version the body asked for, when it was read before the failure.
    const version = requestContextOf(request).requestedVersion;

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const headers = (exception as HttpException & { headers?: Record<string, string> }).headers;
      if (headers !== undefined) void reply.headers(headers);
      if (status >= 500) {
        this.logger.error(`EWS request failed: ${exception.message}`, exception.stack);
      }
      const response = exception.getResponse();
      void reply
        .status(status)
        .type('application/json; charset=utf-8')
        .send(typeof response === 'object' ? response : { error: response });
      return;
    }

    const fault =
      exception instanceof EwsFault
        ? exception
        : new EwsFault('ErrorInternalServerError', 'An internal server error occurred.', 'Server');
    if (!(exception instanceof EwsFault)) {
      this.logger.error(
        `EWS request ${String(request.id)} failed unexpectedly: ${exception instanceof Error ? exception.message : String(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    void reply
      .status(500)
      .header('content-type', SOAP_CONTENT_TYPE)
      .send(renderFault(fault, version));
  }
}
