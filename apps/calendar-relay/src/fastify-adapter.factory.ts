import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ListenerSettings } from '@app/config';

/**
 * Request line plus headers, in bytes (Node's own default, pinned so that NODE_OPTIONS
 * --max-http-header-size cannot raise it unnoticed): Google's EWS and token calls carry a few
 * hundred bytes of headers; larger ones get 431 from Node before any route runs.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Time allowed to receive a whole request. Fastify sets 0 (never) unless told, which lets a
 * client trickle a body forever (slowloris); Google sends a few KiB at once.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A caller-supplied request id is echoed only if it is short and harmless in a log line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate !== undefined && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/**
 * The Fastify instance behind Nest. Routes are case-insensitive because EWS clients spell the
 * endpoint /EWS/Exchange.asmx, /ews/exchange.asmx (DavMail) and everything in between.
 */
export function createFastifyAdapter(settings: ListenerSettings): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: settings.bodyLimitBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // No route has path parameters; the default bound (100) stays as a second line.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 100 },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // X-Forwarded-For is believed only from the listed proxies (the ingress), never from anyone.
    trustProxy: settings.trustProxy === undefined ? false : [...settings.trustProxy.cidrs],
    ...(settings.tls
      ? {
          https: {
            cert: readFileSync(settings.tls.certFile),
            key: readFileSync(settings.tls.keyFile),
            minVersion: 'TLSv1.2' as const,
            maxHeaderSize: MAX_HEADER_BYTES,
          },
        }
      : {}),
  });
}
