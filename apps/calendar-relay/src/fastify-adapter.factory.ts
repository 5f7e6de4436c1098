import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ListenerSettings } from '@app/config';
import { parseAddressRanges } from './network/address-ranges';

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
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // X-Forwarded-For is believed only from the listed proxies (the ingress), never from anyone.
    trustProxy:
      settings.trustProxy === undefined
        ? false
        : [
            ...parseAddressRanges(settings.trustProxy, 'TRUST_PROXY', { allowEverything: false })
              .cidrs,
          ],
    ...(settings.tls
      ? {
          https: {
            cert: readFileSync(settings.tls.certFile),
            key: readFileSync(settings.tls.keyFile),
            minVersion: 'TLSv1.2' as const,
          },
        }
      : {}),
  });
}
