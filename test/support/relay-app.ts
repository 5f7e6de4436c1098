import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseListenerSettings, RELAY_CONFIG_KEYS, SECRET_SOURCE_SETTING_KEYS } from '@app/config';
import { AppModule } from '../../apps/calendar-relay/src/app.module';
import { configureApp } from '../../apps/calendar-relay/src/configure-app';
import { createFastifyAdapter } from '../../apps/calendar-relay/src/fastify-adapter.factory';

/**
 * The real relay for e2e tests: AppModule + createFastifyAdapter + configureApp, exactly as
 * main.ts builds it, with a test's own environment.
 *
 * Each app sees only the environment given here: the relay's configuration is read when the
 * module compiles (RelayConfigModule's providers copy process.env then; no .env is read, which
 * only main.ts does), so two apps in one test file can run with different secrets.
 */

export const TEST_CLIENT_ID = 'google-interop-test';
export const TEST_CLIENT_SECRET = 'test-secret-0123456789-abcdefghij';

/** The minimal environment of a relay on the demo calendars. */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
  GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
  LOG_LEVEL: 'silent',
};

/** Keys of the developer's environment that would change the relay under test. */
const RELAY_KEY_NAMES: ReadonlySet<string> = new Set([
  ...RELAY_CONFIG_KEYS,
  ...SECRET_SOURCE_SETTING_KEYS,
]);
const isRelayKey = (key: string) =>
  RELAY_KEY_NAMES.has(key) || /^(GOOGLE_|VAULT_|SECRETS_|TENANT)/.test(key);

/** A provider of the app replaced for one test (e.g. the AvailabilityProvider port). */
export interface ProviderOverride {
  readonly provide: unknown;
  readonly useValue: unknown;
}

export interface StartRelayOptions {
  /** Listen on 127.0.0.1 with a free port (see baseUrlOf) for real HTTP clients. */
  readonly listen?: boolean;
  readonly overrides?: readonly ProviderOverride[];
  /** Receives the app's log lines instead of pino (see CollectedLogs). */
  readonly logger?: LoggerService;
}

/**
 * Starts the relay with DEMO_ENV plus `env` as its whole relay configuration (relay keys of the
 * developer's environment are hidden during start-up, and everything is restored afterwards).
 * Without `listen`, the app is initialised and Fastify is ready, so `app.inject()` works.
 * Rejects with the app's own error (a ConfigurationError for a bad key) when it cannot start.
 */
export function startRelay(
  env: Record<string, string> = {},
  options: StartRelayOptions = {},
): Promise<NestFastifyApplication> {
  // One start-up at a time: process.env is shared, and the configuration is read during the
  // module compile, so two concurrent start-ups would see each other's environment.
  const started = startUps.then(() => startRelayNow(env, options));
  startUps = started.catch(() => undefined);
  return started;
}

let startUps: Promise<unknown> = Promise.resolve();

async function startRelayNow(
  env: Record<string, string>,
  options: StartRelayOptions,
): Promise<NestFastifyApplication> {
  const restoreEnv = useRelayEnv({ ...DEMO_ENV, ...env });
  let app: NestFastifyApplication | undefined;
  try {
    let builder = Test.createTestingModule({ imports: [AppModule] });
    for (const override of options.overrides ?? []) {
      builder = builder.overrideProvider(override.provide).useValue(override.useValue);
    }
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(parseListenerSettings(process.env)),
      { bufferLogs: true },
    );
    configureApp(app);
    if (options.logger !== undefined) app.useLogger(options.logger);
    if (options.listen) {
      await app.listen({ port: 0, host: '127.0.0.1' });
    } else {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
    }
    return app;
  } catch (error) {
    await app?.close().catch(() => undefined);
    throw error;
  } finally {
    restoreEnv();
  }
}

/** Replaces the relay keys of process.env with `env` (in place); returns the undo. */
function useRelayEnv(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  const remember = (key: string) => {
    if (!saved.has(key)) saved.set(key, process.env[key]);
  };
  for (const key of Object.keys(process.env)) {
    if (isRelayKey(key)) {
      remember(key);
      delete process.env[key];
    }
  }
  for (const [key, value] of Object.entries(env)) {
    remember(key);
    process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The base URL of a relay started with `listen: true`. */
export function baseUrlOf(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('relay is not listening');
  return `http://127.0.0.1:${address.port}`;
}

export interface TokenRequestOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** client_secret_post (Google's way, the default) or client_secret_basic. */
  readonly via?: 'body' | 'basic';
  /** More form parameters (grant_type, scope, ...). */
  readonly extra?: Record<string, string>;
}

/** POST /token as a client would send it; the raw injected response. */
export function requestToken(app: NestFastifyApplication, options: TokenRequestOptions = {}) {
  const clientId = options.clientId ?? TEST_CLIENT_ID;
  const clientSecret = options.clientSecret ?? TEST_CLIENT_SECRET;
  const form = new URLSearchParams(options.extra);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.via === 'basic') {
    headers.authorization = basicAuthorization(clientId, clientSecret);
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  return app.inject({ method: 'POST', url: '/token', headers, payload: form.toString() });
}

/** `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 2.3.1 says. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (v: string) => new URLSearchParams({ v }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** A bearer token obtained from the relay's own /token, as Google would. */
export async function bearerTokenFor(
  app: NestFastifyApplication,
  options: TokenRequestOptions = {},
): Promise<string> {
  const res = await requestToken(app, options);
  if (res.statusCode !== 200)
    throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return res.json<{ access_token: string }>().access_token;
}

export { CollectedLogs, type LogEntry } from './collected-logs';
