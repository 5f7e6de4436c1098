import { SecretSourceUnavailableError } from '@app/config';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import {
  eventually,
  restoreLogger,
  startConfigApp,
  type ConfigApp,
} from './support/openbao-config-app';
import { CollectedLogs } from './support/collected-logs';

/**
 * The Vault source against a real OpenBao dev server, with VAULT_AUTH=token: start-up loading
 * and provenance, rotation without a restart (on demand and by the periodic re-read), the
 * Google secret grace, and Vault being down at start-up and later.
 */

const MOUNT = 'secret';
const PATH = 'calendar-relay';
const POLICY = 'calendar-relay';

const SECRET = {
  google_client_id: 'google-interop-from-vault',
  google_client_secret: 'vault-google-secret-AAAAAAAAAAAAAAAA',
  graph_client_id: '11111111-2222-3333-4444-555555555555',
  graph_client_secret: 'vault-graph-secret-BBBBBBBBBBBBBBBB',
  graph_authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
};

let bao: OpenBaoDevServer;
const apps: ConfigApp[] = [];

function kvPut(values: Record<string, string>): Promise<void> {
  return bao.kvPut(MOUNT, PATH, values);
}

/** The docs' policy, and a token for the relay holding only it (renewable, periodic). */
async function seed(tokenId: string): Promise<void> {
  await bao.bao(['policy', 'write', POLICY, '-'], relayPolicyFromDocs());
  await kvPut(SECRET);
  await bao.bao([
    'token',
    'create',
    `-id=${tokenId}`,
    `-policy=${POLICY}`,
    '-period=1h',
    '-orphan',
  ]);
}

function vaultEnv(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    VAULT_ADDR: bao.address,
    VAULT_AUTH: 'token',
    VAULT_TOKEN: token,
    VAULT_KV_MOUNT: MOUNT,
    VAULT_SECRET_PATH: PATH,
    VAULT_STARTUP_ATTEMPTS: '3',
    VAULT_STARTUP_BACKOFF_MS: '100',
    VAULT_REQUEST_TIMEOUT_MS: '2000',
    ...extra,
  };
}

async function start(env: Record<string, string>, logs?: CollectedLogs): Promise<ConfigApp> {
  const app = await startConfigApp(env, logs);
  apps.push(app);
  return app;
}

function vaultHealth(app: ConfigApp) {
  return app.store.sourceHealth().find((h) => h.name === 'vault');
}

beforeAll(async () => {
  bao = await OpenBaoDevServer.start();
  await seed('relay-token-main');
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(async () => {
  await bao?.dispose();
  restoreLogger();
});

describe('start-up with VAULT_AUTH=token', () => {
  it('reads the KV v2 secret, fills what it lacks from the environment, and logs key names only', async () => {
    const app = await start(
      vaultEnv('relay-token-main', {
        // The secret wins over the environment; the environment fills what the secret lacks.
        GOOGLE_CLIENT_SECRET: 'env-secret-that-must-lose-CCCCCCCCCC',
        ALLOWED_DOMAINS: 'contoso.com',
      }),
    );
    const config = app.store.current();
    expect(config.google).toEqual({
      clientId: SECRET.google_client_id,
      clientSecret: SECRET.google_client_secret,
      previousClientSecret: undefined,
    });
    expect(config.graph).toMatchObject({
      clientId: SECRET.graph_client_id,
      clientSecret: SECRET.graph_client_secret,
      authority: SECRET.graph_authority,
    });
    expect(config.allowedDomains).toEqual(['contoso.com']);

    const log = app.logs.text();
    expect(log).toMatch(
      new RegExp(
        `Configuration keys from vault \\(secret/data/calendar-relay at ${bao.address}, version \\d+\\): ` +
          'GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY; env: ALLOWED_DOMAINS',
      ),
    );
    expect(log).toContain(
      'GOOGLE_CLIENT_SECRET is set in the environment too; the value from vault is used',
    );
    for (const value of [
      ...Object.values(SECRET).filter((v) => v.includes('secret')),
      'relay-token-main',
      'env-secret-that-must-lose',
    ]) {
      expect(log).not.toContain(value);
    }
    expect(vaultHealth(app)).toMatchObject({
      healthy: true,
      detail: expect.stringContaining('secret/data/calendar-relay'),
    });
  });

  it('names ignored keys of the secret (typos, upper case, listener settings)', async () => {
    await kvPut({
      ...SECRET,
      google_client_secert: 'typo-value-DDDDDDDD',
      GRAPH_ENDPOINT: 'https://graph.example',
      port: '9999',
    });
    try {
      const app = await start(vaultEnv('relay-token-main'));
      expect(app.store.current().port).toBe(8080);
      const log = app.logs.text();
      expect(log).toContain('google_client_secert (not a configuration key)');
      expect(log).toContain('GRAPH_ENDPOINT (keys are lower-case: graph_endpoint)');
      expect(log).toContain('port (a listener setting: set PORT in the environment)');
      expect(log).not.toContain('typo-value');
    } finally {
      await kvPut(SECRET);
    }
  });

  it('renews a periodic VAULT_TOKEN before it expires', async () => {
    // Expires 3 s after its last renewal: without renewals the reads below would be refused.
    await bao.bao([
      'token',
      'create',
      '-id=relay-token-3s',
      `-policy=${POLICY}`,
      '-period=3s',
      '-orphan',
    ]);
    const app = await start(vaultEnv('relay-token-3s'));
    await new Promise((r) => setTimeout(r, 7000));
    expect(
      app.logs.entries.filter((l) => l.line.startsWith("Renewed the relay's Vault token")).length,
    ).toBeGreaterThanOrEqual(2);
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(vaultHealth(app)?.healthy).toBe(true);
    const lookup = await bao.api('POST', 'auth/token/lookup', { token: 'relay-token-3s' });
    expect(lookup.status).toBe(200);
  }, 20_000);

  it('refuses to start when the token may not read the secret, naming address, path, method and status', async () => {
    // Only Vault's default policy: a valid token that may not read the secret.
    await bao.bao([
      'token',
      'create',
      '-id=relay-token-no-policy',
      '-policy=default',
      '-no-default-policy=false',
      '-orphan',
      '-period=1h',
    ]);
    const logs = new CollectedLogs();
    const startedAt = Date.now();
    const failure = await startConfigApp(vaultEnv('relay-token-no-policy'), logs).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect((failure as Error).message).toBe(
      `Vault ${bao.address}, secret secret/data/calendar-relay, auth token: ` +
        'GET /v1/secret/data/calendar-relay: HTTP 403 permission denied (gave up after 3 attempts in ' +
        (failure as Error).message.match(/in ([\d.]+) s\)$/)?.[1] +
        ' s)',
    );
    // Two retries, 100 ms then 200 ms apart.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(logs.entries.filter((l) => /attempt \d of 3 failed/.test(l.line))).toHaveLength(2);
  });

  it('refuses to start when the secret does not exist (HTTP 404)', async () => {
    const failure = await startConfigApp(
      vaultEnv(bao.rootToken, { VAULT_SECRET_PATH: 'no-such-secret', VAULT_STARTUP_ATTEMPTS: '1' }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Vault http:\/\/127\.0\.0\.1:\d+, secret secret\/data\/no-such-secret, auth token: GET \/v1\/secret\/data\/no-such-secret: HTTP 404 not found \(gave up after 1 attempt in [\d.]+ s\)$/,
    );
  });
});

describe('rotation without a restart', () => {
  afterEach(async () => {
    await kvPut(SECRET);
  });

  it('picks up a rotated Graph secret on refreshNow(), tells listeners, and logs the key name only', async () => {
    const app = await start(vaultEnv('relay-token-main'));
    const seen: string[] = [];
    app.store.onChange((next) => seen.push(next.graph?.clientSecret ?? ''));

    await kvPut({ ...SECRET, graph_client_secret: 'rotated-graph-secret-EEEEEEEEEEEE' });
    const outcome = await app.store.refreshNow();

    expect(outcome).toEqual({ changed: true, changedKeys: ['GRAPH_CLIENT_SECRET'] });
    expect(app.store.current().graph?.clientSecret).toBe('rotated-graph-secret-EEEEEEEEEEEE');
    expect(seen).toEqual(['rotated-graph-secret-EEEEEEEEEEEE']);
    expect(app.logs.text()).toMatch(
      /Configuration changed: GRAPH_CLIENT_SECRET \(read from vault secret\/data\/calendar-relay at .*, version \d+\)/,
    );
    expect(app.logs.text()).not.toContain('rotated-graph-secret');

    // Nothing changed since: a second refresh reports so.
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
  });

  it('re-reads the secret every VAULT_REFRESH_SECONDS by itself', async () => {
    const app = await start(vaultEnv('relay-token-main', { VAULT_REFRESH_SECONDS: '1' }));
    await kvPut({ ...SECRET, graph_client_secret: 'periodic-graph-secret-FFFFFFFFFFFF' });
    await eventually(
      () => app.store.current().graph?.clientSecret === 'periodic-graph-secret-FFFFFFFFFFFF',
      'the periodic refresh to pick up the rotated secret',
      5000,
    );
  });

  it('keeps accepting the replaced Google secret for GOOGLE_SECRET_GRACE_SECONDS, then drops it', async () => {
    const app = await start(vaultEnv('relay-token-main', { GOOGLE_SECRET_GRACE_SECONDS: '2' }));
    await kvPut({ ...SECRET, google_client_secret: 'rotated-google-secret-GGGGGGGGGGGG' });
    await app.store.refreshNow();

    expect(app.store.current().google).toEqual({
      clientId: SECRET.google_client_id,
      clientSecret: 'rotated-google-secret-GGGGGGGGGGGG',
      previousClientSecret: SECRET.google_client_secret,
    });
    expect(app.logs.text()).toMatch(
      /GOOGLE_CLIENT_SECRET was rotated: the previous secret stays accepted until \S+ \(GOOGLE_SECRET_GRACE_SECONDS=2\)/,
    );

    await eventually(
      () => app.store.current().google.previousClientSecret === undefined,
      'the grace period to end',
      5000,
    );
    expect(app.store.current().google.clientSecret).toBe('rotated-google-secret-GGGGGGGGGGGG');
  });

  it('keeps the last good configuration when the secret turns invalid, and says why', async () => {
    const app = await start(vaultEnv('relay-token-main'));
    await kvPut({ ...SECRET, graph_authority: 'http://not-https.example' });
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(app.store.current().graph?.authority).toBe(SECRET.graph_authority);
    expect(vaultHealth(app)).toMatchObject({
      healthy: false,
      detail: expect.stringContaining('GRAPH_AUTHORITY must use https://'),
    });
  });

  it('refuses a malformed ip_allowlist from the secret as start-up would: the last good list stays, and says so', async () => {
    await kvPut({ ...SECRET, ip_allowlist: 'google' });
    const app = await start(vaultEnv('relay-token-main'));
    const before = app.store.current();
    expect(before.ipAllowlist?.contains('74.125.88.1')).toBe(true);

    await kvPut({ ...SECRET, ip_allowlist: 'google, 10.0.0.0/33' });
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(app.store.current()).toBe(before);
    const problem =
      'IP_ALLOWLIST must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32, google); "10.0.0.0/33" is not one';
    expect(vaultHealth(app)).toMatchObject({
      healthy: false,
      detail: expect.stringContaining(
        `its current values make the configuration invalid: ${problem}`,
      ),
    });
    expect(
      app.logs.entries.filter(
        (l) =>
          l.level === 'error' &&
          l.line.includes('refresh failed, keeping the last good configuration') &&
          l.line.includes(problem),
      ),
    ).toHaveLength(1);

    // The same value at start-up: refused.
    const failure = await startConfigApp(vaultEnv('relay-token-main')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toContain(problem);
  });
});

describe('Vault down', () => {
  it('at start-up: refuses to start after the configured retries, saying connection refused', async () => {
    const logs = new CollectedLogs();
    const failure = await startConfigApp(
      vaultEnv('relay-token-main', { VAULT_ADDR: 'http://127.0.0.1:9' }),
      logs,
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Vault http:\/\/127\.0\.0\.1:9, secret secret\/data\/calendar-relay, auth token: GET \/v1\/auth\/token\/lookup-self: connection refused \(gave up after 3 attempts in [\d.]+ s\)$/,
    );
  });

  it('later: serves the last good configuration, reports Vault unhealthy, and recovers', async () => {
    const app = await start(vaultEnv('relay-token-main'));
    const before = app.store.current();
    expect(vaultHealth(app)?.healthy).toBe(true);

    await bao.stop();
    try {
      expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
      expect(app.store.current()).toBe(before);
      const down = vaultHealth(app);
      expect(down).toMatchObject({
        healthy: false,
        detail: expect.stringMatching(
          /^GET \/v1\/secret\/data\/calendar-relay: connection refused; serving the values read at /,
        ),
      });
      expect(down?.failingSince).toBeInstanceOf(Date);
      expect(app.logs.entries.filter((l) => l.level === 'error').map((l) => l.line)).toEqual([
        expect.stringContaining('refresh failed, keeping the last good configuration'),
      ]);
    } finally {
      // A dev server forgets everything when stopped: the same port, token id and secret again.
      await bao.start();
      await seed('relay-token-main');
    }
    await kvPut({ ...SECRET, graph_client_secret: 'after-outage-graph-secret-HHHHHHHH' });
    expect(await app.store.refreshNow()).toMatchObject({ changed: true });
    expect(vaultHealth(app)).toMatchObject({ healthy: true, failingSince: undefined });
    expect(app.store.current().graph?.clientSecret).toBe('after-outage-graph-secret-HHHHHHHH');
    expect(app.logs.text()).toContain('is readable again');
    await kvPut(SECRET);
  });
});
