import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { listenerConfig, RelayConfigStore } from '@app/config';
import { isEwsRoute } from '@app/ews';
import { ShutdownState } from '@app/health';
import { RelayMetrics } from '@app/metrics';
import { requestContextOf } from '@app/request-context';
import { RelayTracing } from '@app/tracing';
import { sourceAllowlistHook, type SourceAllowlists } from './network/source-allowlist.hook';
import { securityHeadersHook } from './security/security-headers.hook';

/** EWS is SOAP 1.1 (text/xml) but clients also send SOAP 1.2 and plain XML media types. */
export const XML_CONTENT_TYPES = ['text/xml', 'application/soap+xml', 'application/xml'];

/**
 * Everything about the HTTP application that is not a Nest provider: body parsers, logger,
 * every Fastify hook, shutdown hooks. main.ts and every e2e test call this, so the tests run the
 * app production runs (Fastify answers text/xml with 415 until a parser exists: a test app
 * built without this would pass while production fails).
 */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const listener = app.get<ConfigType<typeof listenerConfig>>(listenerConfig.KEY);
  const config = app.get(RelayConfigStore).current();
  const { bodyLimitBytes } = listener;
  app.useLogger(app.get(Logger));
  app.flushLogs();

  // XML bodies stay raw bytes: the EWS layer decodes them itself (BOM, encoding declaration)
  // and rejects DOCTYPEs before any XML parser sees them.
  app.useBodyParser(XML_CONTENT_TYPES, { bodyLimit: bodyLimitBytes }, (_req, body, done) =>
    done(null, body),
  );
  // The token endpoint's form body, kept as URLSearchParams so repeated parameters (which RFC
  // 6749 section 3.2 forbids) remain visible to the controller.
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: bodyLimitBytes },
    (_req, body, done) => done(null, new URLSearchParams(body.toString('utf8'))),
  );
  // Anything else arrives as raw bytes too, so the EWS endpoint can answer a SOAP fault (and
  // the token endpoint an OAuth error) instead of Fastify's generic 415.
  app.useBodyParser('*', { bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));
  // text/plain too: Fastify's own text parser answers a body with invalid UTF-8 with a JSON 400
  // ("size did not match Content-Length", it counts characters), which no EWS client can read.
  app.useBodyParser('text/plain', { bodyLimit: bodyLimitBytes }, (_req, body, done) =>
    done(null, body),
  );

  installRequestHooks(app, {
    servesTls: listener.tls !== undefined,
    allowlists: { ews: config.ipAllowlist, token: config.tokenIpAllowlist },
  });
  app.enableShutdownHooks();
  return app;
}

/**
 * Every Fastify hook of the relay, in the order Fastify runs them for a request. Added before
 * the app is ready, they apply to every route, the 404 handler and the refusals alike. What they
 * learn about a request goes into its context (@app/request-context).
 */
function installRequestHooks(
  app: NestFastifyApplication,
  settings: { readonly servesTls: boolean; readonly allowlists: SourceAllowlists },
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const tracing = app.get(RelayTracing);
  const metrics = app.get(RelayMetrics);
  const shutdown = app.get(ShutdownState);

  // Every answer names its request id (the caller's x-request-id, or the one generated), refusals
  // included, so an admin finds the audit line of the lookup a caller reports. pino-http's
  // res.setHeader does not reach Fastify's replies, hence a hook of Fastify's own.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const allowlist = sourceAllowlistHook(settings.allowlists);
  // A caller it refuses gets its 403 here: the onRequest hooks after it do not run.
  if (allowlist !== undefined) fastify.addHook('onRequest', allowlist);
  if (tracing.enabled) {
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (isEwsRoute(request.method, request.routeOptions.url)) {
        tracing.requestStarted(request, requestContextOf(request));
      }
      done();
    });
  }

  fastify.addHook('onSend', securityHeadersHook({ servesTls: settings.servesTls }));
  // While the relay drains before shutting down, no connection is kept alive (ShutdownState).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (shutdown.draining) void reply.header('Connection', 'close');
    done(null, payload);
  });

  // Every EWS request is counted and its span ended, bearer-guard and allowlist refusals too.
  fastify.addHook('onResponse', (request, reply, done) => {
    if (isEwsRoute(request.method, request.routeOptions.url)) {
      const context = requestContextOf(request);
      metrics.ewsRequestEnded(context.operation, reply.statusCode, reply.elapsedTime);
      tracing.requestEnded(context, reply.statusCode);
    }
    done();
  });
}
