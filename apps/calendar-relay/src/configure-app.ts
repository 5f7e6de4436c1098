import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { listenerConfig, RelayConfigStore } from '@app/config';
import { installSourceAllowlists } from './network/source-allowlist.hook';
import { installSecurityHeaders } from './security/security-headers.hook';

/** EWS is SOAP 1.1 (text/xml) but clients also send SOAP 1.2 and plain XML media types. */
export const XML_CONTENT_TYPES = ['text/xml', 'application/soap+xml', 'application/xml'];

/**
 * Everything about the HTTP application that is not a Nest provider: body parsers, logger,
 * shutdown hooks. main.ts and every e2e test call this, so the tests run the app production
 * runs (Fastify answers text/xml with 415 until a parser exists: a test app built without this
 * would pass while production fails).
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

  // Every answer names its request id (the caller's x-request-id, or the one generated), refusals
  // included, so an admin finds the audit line of the lookup a caller reports. pino-http's
  // res.setHeader does not reach Fastify's replies, hence a hook of Fastify's own.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      done();
    });

  installSecurityHeaders(app.getHttpAdapter().getInstance(), {
    servesTls: listener.tls !== undefined,
  });
  installSourceAllowlists(app.getHttpAdapter().getInstance(), {
    ews: config.ipAllowlist,
    token: config.tokenIpAllowlist,
  });

  app.enableShutdownHooks();
  return app;
}
