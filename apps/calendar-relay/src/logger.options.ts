import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { ListenerSettings } from '@app/config';
import { requestIdOf } from './fastify-adapter.factory';

/**
 * Paths pino blanks out wherever they occur in a log object. The relay never logs bodies, but a
 * header dump or an error carrying a request must not leak a token or a client secret.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.client_secret',
  '*.clientSecret',
  '*.access_token',
  '*.password',
];

/**
 * The URL without its query string: no relay route takes one, and a client that puts its
 * client_secret there (RFC 6749 2.3.1 forbids it, some libraries do it anyway) must not have it
 * written to the logs.
 */
export function pathForLog(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?[redacted]`;
}

/** Monitoring traffic: /health/*, /health-check and /metrics. */
export function isProbeOrScrape(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path.startsWith('/health') || path === '/metrics';
}

/** nestjs-pino settings: JSON lines in production, pretty lines on a developer's terminal. */
export function loggerOptions(config: Pick<ListenerSettings, 'logLevel'>): Params {
  const pretty = process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true;
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        // Fastify already chose the id (from x-request-id or fresh); keep one id per request.
        const id = (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req);
        res.setHeader('x-request-id', id);
        return id;
      },
      // Health probes and Prometheus scrapes every few seconds would drown the lookups that
      // matter (their failures still log, through the probes' own transition lines).
      autoLogging: { ignore: (req) => isProbeOrScrape(req.url) },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: pathForLog(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}
