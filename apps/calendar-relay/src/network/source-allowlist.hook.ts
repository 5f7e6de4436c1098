import { Logger } from '@nestjs/common';
import type { onRequestHookHandler } from 'fastify';
import type { AddressRanges } from '@app/config';
import { isEwsRoute } from '@app/ews';

export interface SourceAllowlists {
  /** Callers allowed on the EWS endpoint (IP_ALLOWLIST, parsed by the schema); undefined = everyone. */
  readonly ews?: AddressRanges;
  /** Callers allowed on /token (TOKEN_IP_ALLOWLIST); undefined = everyone. */
  readonly token?: AddressRanges;
}

/**
 * The onRequest hook that refuses callers outside the configured source ranges with 403 before
 * any parsing or authentication; undefined when neither list is set. `request.ip` is the peer
 * address, or the X-Forwarded-For hop Fastify derived through TRUST_PROXY only (a forged header
 * from an untrusted peer changes nothing).
 */
export function sourceAllowlistHook(lists: SourceAllowlists): onRequestHookHandler | undefined {
  const logger = new Logger('SourceAllowlist');
  const { ews, token } = lists;
  if (ews === undefined && token === undefined) return undefined;

  return (request, reply, done) => {
    const route = (request.routeOptions.url ?? '').toLowerCase();
    const ranges: AddressRanges | undefined = isEwsRoute(request.method, request.routeOptions.url)
      ? ews
      : route === '/token'
        ? token
        : undefined;
    if (ranges === undefined || ranges.contains(request.ip)) {
      done();
      return;
    }
    logger.warn({
      msg: 'caller refused by source allowlist',
      requestId: request.id,
      clientIp: request.ip,
      route,
    });
    void reply.status(403).type('text/plain; charset=utf-8').send('Forbidden');
  };
}
