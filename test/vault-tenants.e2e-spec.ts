import { RelayConfigStore, type ConfigChange, type TenantSettings } from '@app/config';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import {
  eventually,
  restoreLogger,
  startConfigApp,
  type ConfigApp,
} from './support/openbao-config-app';
import { CollectedLogs } from './support/collected-logs';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { startRelay } from './support/relay-app';

/**
 * Several tenants against a real OpenBao dev server, each keeping its own secret
 * (TENANT_<NAME>_VAULT_SECRET_PATH) beside the relay's: what the tenants' owners and the
 * operator notice. Rotating tenant A's secret changes A's settings only (B's object is the very
 * same, so the Graph adapter rebuilds nothing of B); A's secret becoming unreadable or invalid
 * keeps A's last good values, reports only A's source unhealthy and leaves B untouched.
 */

const MOUNT = 'secret';
const RELAY_PATH = 'calendar-relay';
const CONTOSO_PATH = 'calendar-relay/tenants/contoso';
const FABRIKAM_PATH = 'calendar-relay/tenants/fabrikam';
const TOKEN = 'relay-token-tenants';

const RELAY_SECRET = {
  google_client_id: 'google-interop-tenants',
  google_client_secret: 'relay-google-secret-AAAAAAAAAAAAAAAA',
  // The relay's own secret may hold a tenant's keys too, prefixed.
  tenant_fabrikam_event_details: 'true',
};

const contosoSecret = (graphSecret = 'contoso-graph-secret-BBBBBBBBBBBB') => ({
  domains: 'contoso.com',
  graph_client_id: '11111111-1111-1111-1111-111111111111',
  graph_client_secret: graphSecret,
  graph_authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
});

const fabrikamSecret = (graphSecret = 'fabrikam-graph-secret-CCCCCCCCCCCC') => ({
  domains: 'fabrikam.com,fabrikam.eu',
  // The prefixed form works in a tenant's own secret too.
  tenant_fabrikam_graph_client_id: '22222222-2222-2222-2222-222222222222',
  graph_client_secret: graphSecret,
  graph_authority: 'https://login.microsoftonline.com/fabrikam.onmicrosoft.com',
});

let bao: OpenBaoDevServer;
const apps: ConfigApp[] = [];

async function seed(): Promise<void> {
  await bao.bao(['policy', 'write', 'calendar-relay', '-'], relayPolicyFromDocs({ tenants: true }));
  await bao.kvPut(MOUNT, RELAY_PATH, RELAY_SECRET);
  await bao.kvPut(MOUNT, CONTOSO_PATH, contosoSecret());
  await bao.kvPut(MOUNT, FABRIKAM_PATH, fabrikamSecret());
}

function tenantsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    VAULT_ADDR: bao.address,
    VAULT_TOKEN: TOKEN,
    VAULT_KV_MOUNT: MOUNT,
    VAULT_SECRET_PATH: RELAY_PATH,
    VAULT_REFRESH_SECONDS: '0',
    VAULT_STARTUP_ATTEMPTS: '1',
    VAULT_REQUEST_TIMEOUT_MS: '2000',
    GOOGLE_SECRET_GRACE_SECONDS: '60',
    TENANTS: 'contoso,fabrikam',
    TENANT_CONTOSO_VAULT_SECRET_PATH: CONTOSO_PATH,
    TENANT_FABRIKAM_VAULT_SECRET_PATH: FABRIKAM_PATH,
    // Not a secret: from the environment, under the tenant's own secret in precedence.
    TENANT_FABRIKAM_GRAPH_CONCURRENCY: '2',
    ...extra,
  };
}

async function start(env: Record<string, string>, logs?: CollectedLogs): Promise<ConfigApp> {
  const app = await startConfigApp(env, logs);
  apps.push(app);
  return app;
}

function tenant(app: ConfigApp, name: string): TenantSettings {
  const found = app.store.current().tenants.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no tenant ${name}`);
  return found;
}

function health(app: ConfigApp, name: string) {
  return app.store.sourceHealth().find((h) => h.name === name);
}

/** What each onChange told, in order. */
function changesOf(app: ConfigApp): ConfigChange[] {
  const changes: ConfigChange[] = [];
  app.store.onChange((_next, _previous, change) => changes.push(change));
  return changes;
}

beforeAll(async () => {
  bao = await OpenBaoDevServer.start();
  await seed();
  await bao.bao(['token', 'create', `-id=${TOKEN}`, '-policy=calendar-relay', '-period=1h']);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await seed();
});

afterAll(async () => {
  await bao?.dispose();
  restoreLogger();
});

describe('start-up', () => {
  it("reads each tenant's own secret through the relay's login, and says which key came from where", async () => {
    const app = await start(tenantsEnv());
    const config = app.store.current();
    expect(
      config.tenants.map((t) => [t.name, t.domains, t.graph.clientId, t.eventDetails]),
    ).toEqual([
      ['contoso', ['contoso.com'], '11111111-1111-1111-1111-111111111111', false],
      ['fabrikam', ['fabrikam.com', 'fabrikam.eu'], '22222222-2222-2222-2222-222222222222', true],
    ]);
    expect(tenant(app, 'fabrikam').graph.concurrency).toBe(2);
    expect(config.google.clientId).toBe(RELAY_SECRET.google_client_id);

    expect(app.store.sourceHealth().map((h) => [h.name, h.healthy])).toEqual([
      ['vault', true],
      ['vault:contoso', true],
      ['vault:fabrikam', true],
      ['env', true],
    ]);
    const log = app.logs.text();
    expect(log).toMatch(
      new RegExp(
        `Configuration keys from vault \\(secret/data/calendar-relay at ${bao.address}, version \\d+\\): GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, TENANT_FABRIKAM_EVENT_DETAILS; ` +
          `vault:contoso \\(secret/data/calendar-relay/tenants/contoso at ${bao.address}, version \\d+\\): TENANT_CONTOSO_DOMAINS, TENANT_CONTOSO_GRAPH_CLIENT_ID, TENANT_CONTOSO_GRAPH_CLIENT_SECRET, TENANT_CONTOSO_GRAPH_AUTHORITY; ` +
          `vault:fabrikam \\(secret/data/calendar-relay/tenants/fabrikam at [^)]+\\): TENANT_FABRIKAM_DOMAINS, TENANT_FABRIKAM_GRAPH_CLIENT_ID, TENANT_FABRIKAM_GRAPH_CLIENT_SECRET, TENANT_FABRIKAM_GRAPH_AUTHORITY; ` +
          'env: TENANTS, LOG_LEVEL, TENANT_FABRIKAM_GRAPH_CONCURRENCY',
      ),
    );
    for (const secret of [
      RELAY_SECRET.google_client_secret,
      contosoSecret().graph_client_secret,
      fabrikamSecret().graph_client_secret,
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it("refuses to start, in one line naming it, when a tenant's secret sets a key that is not that tenant's", async () => {
    await bao.kvPut(MOUNT, CONTOSO_PATH, { ...contosoSecret(), graph_deadline_ms: '100' });
    const failure = await startConfigApp(tenantsEnv()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^Invalid configuration: vault:contoso \\(secret/data/calendar-relay/tenants/contoso at ${bao.address}, version \\d+\\): graph_deadline_ms is not a key of tenant contoso \\(its own secret may set only domains, graph_client_id, `,
      ),
    );
  });

  it("refuses to start when a tenant's secret cannot be read, naming that secret", async () => {
    const failure = await startConfigApp(
      tenantsEnv({ TENANT_CONTOSO_VAULT_SECRET_PATH: 'calendar-relay/tenants/nobody' }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toMatch(
      /^Vault http:\/\/127\.0\.0\.1:\d+, secret secret\/data\/calendar-relay\/tenants\/nobody, auth token \(tenant contoso\): GET \/v1\/secret\/data\/calendar-relay\/tenants\/nobody: HTTP 404 not found \(gave up after 1 attempt in [\d.]+ s\)$/,
    );
  });
});

describe("one tenant's rotation", () => {
  it("changes that tenant's settings only: the other tenant's object is the very same", async () => {
    const app = await start(tenantsEnv());
    const before = app.store.current();
    const fabrikam = tenant(app, 'fabrikam');
    const fabrikamRead = health(app, 'vault:fabrikam')?.lastRefreshAt;
    const changes = changesOf(app);

    await bao.kvPut(MOUNT, CONTOSO_PATH, contosoSecret('contoso-rotated-DDDDDDDDDDDD'));
    // What the Graph adapter does when Entra refuses contoso's secret: re-read contoso's only.
    expect(await app.store.refreshNow({ tenant: 'contoso' })).toEqual({
      changed: true,
      changedKeys: ['TENANT_CONTOSO_GRAPH_CLIENT_SECRET'],
    });
    expect(tenant(app, 'contoso').graph.clientSecret).toBe('contoso-rotated-DDDDDDDDDDDD');
    expect(tenant(app, 'fabrikam')).toBe(fabrikam);
    expect(app.store.current().google).toBe(before.google);
    expect(changes).toEqual([
      { changedKeys: ['TENANT_CONTOSO_GRAPH_CLIENT_SECRET'], changedTenants: ['contoso'] },
    ]);
    // fabrikam's secret was not even read.
    expect(health(app, 'vault:fabrikam')?.lastRefreshAt).toEqual(fabrikamRead);
    expect(app.logs.text()).toMatch(
      /Configuration changed: TENANT_CONTOSO_GRAPH_CLIENT_SECRET \(read from vault:contoso secret\/data\/calendar-relay\/tenants\/contoso at [^,]+, version \d+\)/,
    );
    expect(app.logs.text()).not.toContain('contoso-rotated');

    // Re-reading every source finds nothing new: nothing is published.
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(changes).toHaveLength(1);
    expect(tenant(app, 'fabrikam')).toBe(fabrikam);
  });

  it('is picked up by the periodic re-read of that secret, on its own', async () => {
    const app = await start(tenantsEnv({ VAULT_REFRESH_SECONDS: '1' }));
    const contoso = tenant(app, 'contoso');
    await bao.kvPut(MOUNT, FABRIKAM_PATH, fabrikamSecret('fabrikam-rotated-EEEEEEEEEEEE'));
    await eventually(
      () => tenant(app, 'fabrikam').graph.clientSecret === 'fabrikam-rotated-EEEEEEEEEEEE',
      "the periodic re-read of fabrikam's secret",
      5000,
    );
    expect(tenant(app, 'contoso')).toBe(contoso);
  });

  it("gives a tenant's own Google client secret a grace of its own", async () => {
    await bao.kvPut(MOUNT, CONTOSO_PATH, {
      ...contosoSecret(),
      google_client_id: 'google-contoso',
      google_client_secret: 'contoso-google-secret-FFFFFFFFFFFF',
    });
    const app = await start(tenantsEnv());
    const relayGoogle = app.store.current().google;
    await bao.kvPut(MOUNT, CONTOSO_PATH, {
      ...contosoSecret(),
      google_client_id: 'google-contoso',
      google_client_secret: 'contoso-google-rotated-GGGGGGGGGG',
    });
    await app.store.refreshNow({ tenant: 'contoso' });
    expect(tenant(app, 'contoso').google).toEqual({
      clientId: 'google-contoso',
      clientSecret: 'contoso-google-rotated-GGGGGGGGGG',
      previousClientSecret: 'contoso-google-secret-FFFFFFFFFFFF',
    });
    expect(app.store.current().google).toBe(relayGoogle);
    expect(app.logs.text()).toMatch(
      /TENANT_CONTOSO_GOOGLE_CLIENT_SECRET was rotated: the previous secret stays accepted until \S+ \(GOOGLE_SECRET_GRACE_SECONDS=60\)/,
    );
  });
});

describe("one tenant's secret failing", () => {
  it('unreadable: that tenant keeps its last good values, only its source is unhealthy, the other tenant rotates', async () => {
    const logs = new CollectedLogs();
    const app = await start(tenantsEnv(), logs);
    const contoso = tenant(app, 'contoso');

    await bao.kvDestroy(MOUNT, CONTOSO_PATH);
    await bao.kvPut(MOUNT, FABRIKAM_PATH, fabrikamSecret('fabrikam-rotated-HHHHHHHHHHHH'));
    expect(await app.store.refreshNow()).toEqual({
      changed: true,
      changedKeys: ['TENANT_FABRIKAM_GRAPH_CLIENT_SECRET'],
    });
    expect(tenant(app, 'contoso')).toBe(contoso);
    expect(tenant(app, 'fabrikam').graph.clientSecret).toBe('fabrikam-rotated-HHHHHHHHHHHH');
    expect(health(app, 'vault:contoso')).toMatchObject({
      healthy: false,
      detail: expect.stringMatching(
        /^GET \/v1\/secret\/data\/calendar-relay\/tenants\/contoso: HTTP 404 not found; serving the values read at /,
      ),
      failingSince: expect.any(Date),
    });
    expect(
      app.store
        .sourceHealth()
        .filter((h) => !h.healthy)
        .map((h) => h.name),
    ).toEqual(['vault:contoso']);
    expect(logs.entries.filter((l) => l.level === 'error').map((l) => l.line)).toEqual([
      expect.stringMatching(
        /^Vault \S+, secret secret\/data\/calendar-relay\/tenants\/contoso, auth token \(tenant contoso\): refresh failed, keeping the last good configuration/,
      ),
    ]);

    await bao.kvPut(MOUNT, CONTOSO_PATH, contosoSecret());
    expect(await app.store.refreshNow({ tenant: 'contoso' })).toEqual({
      changed: false,
      changedKeys: [],
    });
    expect(health(app, 'vault:contoso')).toMatchObject({ healthy: true, failingSince: undefined });
    expect(app.logs.text()).toContain('(tenant contoso) is readable again');
  });

  it('invalid: a key of another tenant, or a domain another tenant has, is refused and the last good values stay', async () => {
    const app = await start(tenantsEnv());
    const contoso = tenant(app, 'contoso');

    await bao.kvPut(MOUNT, CONTOSO_PATH, {
      ...contosoSecret('contoso-rotated-IIIIIIIIIIII'),
      tenant_fabrikam_graph_client_secret: 'hijack-JJJJJJJJJJJJ',
    });
    // Read in the same refresh, fabrikam's rotation is taken all the same.
    await bao.kvPut(MOUNT, FABRIKAM_PATH, fabrikamSecret('fabrikam-rotated-KKKKKKKKKKKK'));
    expect(await app.store.refreshNow()).toEqual({
      changed: true,
      changedKeys: ['TENANT_FABRIKAM_GRAPH_CLIENT_SECRET'],
    });
    expect(tenant(app, 'contoso')).toBe(contoso);
    expect(tenant(app, 'fabrikam').graph.clientSecret).toBe('fabrikam-rotated-KKKKKKKKKKKK');
    expect(health(app, 'vault:contoso')?.detail).toMatch(
      /^its current values make the configuration invalid: vault:contoso \([^)]+\): tenant_fabrikam_graph_client_secret is another tenant's key \(this secret may set only contoso's keys\)/,
    );
    const before = app.store.current();

    await bao.kvPut(MOUNT, CONTOSO_PATH, {
      ...contosoSecret(),
      domains: 'contoso.com,fabrikam.eu',
    });
    await app.store.refreshNow({ tenant: 'contoso' });
    expect(app.store.current()).toBe(before);
    expect(health(app, 'vault:contoso')?.detail).toContain(
      'fabrikam.eu is in TENANT_CONTOSO_DOMAINS and TENANT_FABRIKAM_DOMAINS (a domain belongs to one tenant only)',
    );
    expect(health(app, 'vault:fabrikam')?.healthy).toBe(true);
  });

  it("shows in /health/ready's secrets entry, source by source, while the relay stays ready", async () => {
    // The tenants' apps answered by the local Entra/Graph emulator (the relay never reaches out).
    const emulator = await GraphEmulator.start({
      tenant: 'contoso-emulated',
      clientId: contosoSecret().graph_client_id,
      clientSecret: contosoSecret().graph_client_secret,
    });
    const fabrikamApp = emulator.addTenant({
      tenant: 'fabrikam-emulated',
      clientId: fabrikamSecret().tenant_fabrikam_graph_client_id,
      clientSecret: fabrikamSecret().graph_client_secret,
    });
    const atEmulator = (authority: string) => ({
      graph_authority: authority,
      graph_endpoint: emulator.origin,
    });
    await bao.kvPut(MOUNT, CONTOSO_PATH, {
      ...contosoSecret(),
      ...atEmulator(emulator.authorityOf(emulator.primary)),
    });
    await bao.kvPut(MOUNT, FABRIKAM_PATH, {
      ...fabrikamSecret(),
      ...atEmulator(emulator.authorityOf(fabrikamApp)),
    });
    const relay = await startRelay(tenantsEnv());
    try {
      await bao.kvDestroy(MOUNT, FABRIKAM_PATH);
      await relay.get(RelayConfigStore).refreshNow();
      const ready = await relay.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().details.secrets).toMatchObject({
        status: 'up',
        serving: 'the last good secrets',
        sources: [
          { name: 'vault', healthy: true },
          { name: 'vault:contoso', healthy: true },
          { name: 'vault:fabrikam', healthy: false, failingSince: expect.any(String) },
          { name: 'env', healthy: true },
        ],
      });
    } finally {
      await relay.close();
      await emulator.close();
    }
  });
});
