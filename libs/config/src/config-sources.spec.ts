import { ConfigSources, SecretSourceUnavailableError } from './config-sources';
import { ConfigurationError } from './configuration-error';
import type { Scheduler } from './vault/vault-secret.source';
import {
  ManualScheduler,
  RecordingLogger,
  refused,
  ScriptedVaultApi,
  settle,
} from '../test/vault-fakes';

const ENV = {
  VAULT_ADDR: 'https://vault.example.com:8200',
  VAULT_TOKEN: 'operator-token',
  VAULT_SECRET_PATH: 'relay',
  VAULT_STARTUP_ATTEMPTS: '3',
  VAULT_STARTUP_BACKOFF_MS: '100',
  GOOGLE_CLIENT_ID: 'google-from-env',
  GRAPH_CLIENT_ID: 'graph-app',
  GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
};

const SECRET = { google_client_secret: 'google-secret-1', graph_client_secret: 'graph-1' };

/** Runs timers at once but moves its clock, so start-up retries take no real time. */
class InstantScheduler implements Scheduler {
  time = 0;
  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number) {
    this.time += ms;
    queueMicrotask(run);
    return { cancel: () => undefined };
  }
}

async function open(
  api: ScriptedVaultApi,
  env: Record<string, string> = {},
  scheduler: Scheduler = new ManualScheduler(),
) {
  const logger = new RecordingLogger();
  const sources = await ConfigSources.open(
    { ...ENV, ...env },
    {
      createVaultApi: () => api,
      logger,
      scheduler,
      refreshNowSpacingMs: 0,
    },
  );
  return { sources, logger };
}

describe('ConfigSources start-up', () => {
  it('retries a failing read on the backoff schedule, then starts', async () => {
    const api = new ScriptedVaultApi();
    api.kv.push(refused(), refused(), { data: SECRET, version: 3 });
    const scheduler = new InstantScheduler();
    const { sources, logger } = await open(api, {}, scheduler);
    expect(sources.initial.google.clientSecret).toBe('google-secret-1');
    expect(scheduler.time).toBe(300);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn Vault https://vault.example.com:8200, secret secret/data/relay, auth token: attempt 1 of 3 failed (GET /v1/secret/data/relay: connection refused); retrying in 100 ms',
      'warn Vault https://vault.example.com:8200, secret secret/data/relay, auth token: attempt 2 of 3 failed (GET /v1/secret/data/relay: connection refused); retrying in 200 ms',
    ]);
    expect(logger.lines).toContain(
      'log Configuration keys from vault (secret/data/relay at https://vault.example.com:8200, version 3): GOOGLE_CLIENT_SECRET, GRAPH_CLIENT_SECRET; env: GOOGLE_CLIENT_ID, GRAPH_CLIENT_ID, GRAPH_AUTHORITY',
    );
  });

  it('gives up with one line naming the source and the last failure', async () => {
    const api = new ScriptedVaultApi();
    api.kvDefault = refused();
    const failure = await open(api, {}, new InstantScheduler()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toBe(
      'Vault https://vault.example.com:8200, secret secret/data/relay, auth token: GET /v1/secret/data/relay: connection refused (gave up after 3 attempts in 0.3 s)',
    );
  });

  it('says where keys were looked for when the merged configuration is incomplete', async () => {
    const api = new ScriptedVaultApi();
    api.kv.push({ data: { graph_client_secret: 'g' }, version: 1 });
    const failure = (await open(api).catch((e: unknown) => e)) as ConfigurationError;
    expect(failure.problems).toEqual([
      'GOOGLE_CLIENT_SECRET is required (the client secret Google presents at /token)',
      'keys were read from vault (secret/data/relay at https://vault.example.com:8200, version 1): GRAPH_CLIENT_SECRET; env: GOOGLE_CLIENT_ID, GRAPH_CLIENT_ID, GRAPH_AUTHORITY (secret keys are the lower-case names, e.g. google_client_secret)',
    ]);
  });

  it('reports a bad setting without contacting Vault', async () => {
    const api = new ScriptedVaultApi();
    await expect(open(api, { VAULT_AUTH: 'approle' })).rejects.toThrow(
      'VAULT_ROLE_ID is required when VAULT_AUTH is approle',
    );
    expect(api.calls).toEqual([]);
  });
});

describe('ConfigSources refresh', () => {
  it('serves the last good configuration while Vault fails, logging the outage once and the recovery', async () => {
    const api = new ScriptedVaultApi();
    api.kv.push({ data: SECRET, version: 1 }, refused(), refused(), { data: SECRET, version: 1 });
    const { sources, logger } = await open(api);
    const initial = sources.current();

    expect(await sources.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    await sources.refreshNow();
    expect(sources.current()).toBe(initial);
    expect(sources.health()[0]).toMatchObject({
      name: 'vault',
      healthy: false,
      detail:
        'GET /v1/secret/data/relay: connection refused; serving the values read at 1970-01-01T00:00:00.000Z',
      failingSince: new Date(0),
    });
    expect(logger.lines.filter((l) => l.startsWith('error'))).toHaveLength(1);
    expect(logger.lines.filter((l) => l.includes('still failing'))).toHaveLength(1);

    await sources.refreshNow();
    expect(sources.health()[0]).toMatchObject({ healthy: true, failingSince: undefined });
    expect(logger.lines.at(-1)).toMatch(/is readable again/);
  });

  it('shares one read among concurrent refreshNow() calls', async () => {
    const api = new ScriptedVaultApi();
    api.kv.push({ data: SECRET, version: 1 });
    api.kvDefault = { data: { ...SECRET, graph_client_secret: 'graph-2' }, version: 2 };
    const { sources } = await open(api);
    const seen: string[] = [];
    sources.onChange((next) => seen.push(next.graph === undefined ? '' : next.graph.clientSecret));
    const reads = () => api.calls.filter((c) => c.startsWith('read')).length;
    const [a, b, c] = await Promise.all([
      sources.refreshNow(),
      sources.refreshNow(),
      sources.refreshNow(),
    ]);
    expect(reads()).toBe(2); // start-up and one refresh
    expect(a).toEqual({ changed: true, changedKeys: ['GRAPH_CLIENT_SECRET'] });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(seen).toEqual(['graph-2']);
  });

  it('refreshes on its own schedule once bootstrapped, and stops at shutdown', async () => {
    const api = new ScriptedVaultApi();
    api.kv.push({ data: SECRET, version: 1 });
    api.kvDefault = { data: { ...SECRET, google_client_secret: 'google-secret-2' }, version: 2 };
    const scheduler = new ManualScheduler();
    const { sources } = await open(
      api,
      { VAULT_REFRESH_SECONDS: '60', GOOGLE_SECRET_GRACE_SECONDS: '120' },
      scheduler,
    );
    const changes: (string | undefined)[] = [];
    sources.onChange((next) => changes.push(next.google.previousClientSecret));

    await scheduler.advance(120_000);
    expect(changes).toEqual([]); // not bootstrapped: no timers

    sources.onApplicationBootstrap();
    await scheduler.advance(60_000);
    await settle();
    expect(sources.current().google).toMatchObject({
      clientSecret: 'google-secret-2',
      previousClientSecret: 'google-secret-1',
    });
    // The grace ends 120 s after the rotation was seen.
    await scheduler.advance(119_000);
    expect(sources.current().google.previousClientSecret).toBe('google-secret-1');
    await scheduler.advance(1_000);
    expect(sources.current().google.previousClientSecret).toBeUndefined();
    expect(changes).toEqual(['google-secret-1', undefined]);

    await sources.onApplicationShutdown();
    const reads = api.calls.filter((c) => c.startsWith('read')).length;
    await scheduler.advance(600_000);
    // Nor on demand: a read now would log in again and leave a token behind.
    expect(await sources.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(api.calls.filter((c) => c.startsWith('read')).length).toBe(reads);
    expect(scheduler.pending()).toEqual([]);
  });

  it('reports only the environment when no secret source is configured', async () => {
    const sources = await ConfigSources.open(
      { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' },
      { logger: new RecordingLogger() },
    );
    expect(sources.health()).toEqual([
      { name: 'env', healthy: true, detail: 'process environment' },
    ]);
    expect(await sources.refreshNow()).toEqual({ changed: false, changedKeys: [] });
  });
});
