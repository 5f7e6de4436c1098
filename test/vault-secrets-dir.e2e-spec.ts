import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SecretSourceUnavailableError } from '@app/config';
import {
  eventually,
  restoreLogger,
  startConfigApp,
  type ConfigApp,
} from './support/openbao-config-app';

/**
 * Secrets as files (SECRETS_DIR), laid out as Kubernetes lays out Secret, projected and CSI
 * volumes (the Vault Agent injector writes plain files; this layout is the harder case): the
 * real files live in a timestamped directory, `..data` links to it, each key links into
 * `..data`, and an update swaps `..data` atomically.
 */

let root: string;
const apps: ConfigApp[] = [];

/** Writes a new generation of the volume and points ..data at it, as the kubelet does. */
function publish(dir: string, generation: string, files: Record<string, string>): void {
  const data = path.join(dir, `..${generation}`);
  mkdirSync(data);
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(data, name), content);
  const link = path.join(dir, '..data_tmp');
  symlinkSync(`..${generation}`, link);
  renameSync(link, path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(path.join('..data', name), path.join(dir, name));
    } catch {
      // the key's link exists from an earlier generation
    }
  }
}

async function start(env: Record<string, string>): Promise<ConfigApp> {
  const app = await startConfigApp(env);
  apps.push(app);
  return app;
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'calendar-relay-secrets-dir-'));
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  restoreLogger();
});

it('reads one file per lower-case key, drops the trailing newline, and lets the environment fill the rest', async () => {
  const dir = path.join(root, 'read');
  mkdirSync(dir);
  publish(dir, '2026_01_01_00_00_00.1', {
    google_client_secret: 'files-google-secret-AAAAAAAAAAAA\n',
    // The injector writes an empty file for a key its secret lacks: absent, not empty.
    graph_client_secret: '',
  });
  const app = await start({
    SECRETS_DIR: dir,
    GOOGLE_CLIENT_ID: 'google-from-env',
    GOOGLE_CLIENT_SECRET: 'env-secret-that-must-lose-BBBBBBBB',
  });
  expect(app.store.current().google).toMatchObject({
    clientId: 'google-from-env',
    clientSecret: 'files-google-secret-AAAAAAAAAAAA',
  });
  expect(app.store.current().graph).toBeUndefined();
  expect(app.logs.text()).toContain(
    `Configuration keys from files (${dir}): GOOGLE_CLIENT_SECRET; env: GOOGLE_CLIENT_ID`,
  );
  expect(app.logs.text()).not.toContain('files-google-secret');
  expect(app.store.sourceHealth()).toEqual([
    expect.objectContaining({ name: 'files', healthy: true, detail: dir }),
    expect.objectContaining({ name: 'env', healthy: true }),
  ]);
});

it('picks up a rotation of the volume without a restart', async () => {
  const dir = path.join(root, 'rotate');
  mkdirSync(dir);
  publish(dir, '2026_01_01_00_00_00.1', {
    google_client_id: 'google-from-files',
    google_client_secret: 'files-google-secret-CCCCCCCCCCCC',
  });
  const app = await start({
    SECRETS_DIR: dir,
    SECRETS_REFRESH_SECONDS: '1',
    GOOGLE_SECRET_GRACE_SECONDS: '60',
  });
  publish(dir, '2026_01_01_00_05_00.2', {
    google_client_id: 'google-from-files',
    google_client_secret: 'files-google-secret-DDDDDDDDDDDD\n',
  });
  await eventually(
    () => app.store.current().google.clientSecret === 'files-google-secret-DDDDDDDDDDDD',
    'the periodic re-read of SECRETS_DIR to pick up the new generation',
    5000,
  );
  // The replaced Google secret stays accepted during the grace period.
  expect(app.store.current().google.previousClientSecret).toBe('files-google-secret-CCCCCCCCCCCC');
  expect(app.logs.text()).toMatch(/Configuration changed: GOOGLE_CLIENT_SECRET \(read from files /);
});

it("reads the tenants' keys from files named as the lower-case keys, and rotates one tenant without touching the other", async () => {
  const dir = path.join(root, 'tenants');
  mkdirSync(dir);
  const tenantFiles = (fabrikamSecret: string) => ({
    google_client_id: 'google-from-files',
    google_client_secret: 'files-google-secret-FFFFFFFFFFFF',
    tenant_contoso_domains: 'contoso.com\n',
    tenant_contoso_graph_client_id: 'contoso-app',
    tenant_contoso_graph_client_secret: 'files-contoso-secret-GGGGGGGGGGGG\n',
    tenant_contoso_graph_authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    tenant_fabrikam_domains: 'fabrikam.com',
    tenant_fabrikam_graph_client_id: 'fabrikam-app',
    tenant_fabrikam_graph_client_secret: fabrikamSecret,
    tenant_fabrikam_graph_authority: 'https://login.microsoftonline.com/fabrikam.onmicrosoft.com',
  });
  publish(dir, '2026_01_01_00_00_00.1', tenantFiles('files-fabrikam-secret-HHHHHHHHHHHH'));
  const app = await start({
    SECRETS_DIR: dir,
    SECRETS_REFRESH_SECONDS: '1',
    TENANTS: 'contoso,fabrikam',
    TENANT_CONTOSO_EVENT_DETAILS: 'true',
  });
  const contoso = app.store.current().tenants[0];
  expect(app.store.current().tenants.map((t) => [t.name, t.domains, t.graph.clientSecret])).toEqual(
    [
      ['contoso', ['contoso.com'], 'files-contoso-secret-GGGGGGGGGGGG'],
      ['fabrikam', ['fabrikam.com'], 'files-fabrikam-secret-HHHHHHHHHHHH'],
    ],
  );
  expect(contoso.eventDetails).toBe(true);
  expect(app.logs.text()).toContain(
    `Configuration keys from files (${dir}): GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, TENANT_CONTOSO_DOMAINS, TENANT_CONTOSO_GRAPH_CLIENT_ID, TENANT_CONTOSO_GRAPH_CLIENT_SECRET, TENANT_CONTOSO_GRAPH_AUTHORITY, TENANT_FABRIKAM_DOMAINS, TENANT_FABRIKAM_GRAPH_CLIENT_ID, TENANT_FABRIKAM_GRAPH_CLIENT_SECRET, TENANT_FABRIKAM_GRAPH_AUTHORITY; env: TENANTS, LOG_LEVEL, TENANT_CONTOSO_EVENT_DETAILS`,
  );

  publish(dir, '2026_01_01_00_05_00.2', tenantFiles('files-fabrikam-rotated-IIIIIIIIIIII'));
  await eventually(
    () =>
      app.store.current().tenants[1].graph.clientSecret === 'files-fabrikam-rotated-IIIIIIIIIIII',
    "the periodic re-read of SECRETS_DIR to pick up fabrikam's new secret",
    5000,
  );
  expect(app.store.current().tenants[0]).toBe(contoso);
  expect(app.logs.text()).toMatch(
    /Configuration changed: TENANT_FABRIKAM_GRAPH_CLIENT_SECRET \(read from files /,
  );
  expect(app.logs.text()).not.toMatch(/files-(contoso|fabrikam)-/);
});

it('refuses to start when SECRETS_DIR cannot be read', async () => {
  const missing = path.join(root, 'no-such-dir');
  const failure = await startConfigApp({ SECRETS_DIR: missing }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
  expect((failure as Error).message).toBe(
    `SECRETS_DIR ${missing}: the directory cannot be read (ENOENT)`,
  );
});

it('keeps the last good values when the directory disappears later, and reports files unhealthy', async () => {
  const dir = path.join(root, 'vanish');
  mkdirSync(dir);
  publish(dir, '2026_01_01_00_00_00.1', {
    google_client_id: 'google-from-files',
    google_client_secret: 'files-google-secret-EEEEEEEEEEEE',
  });
  const app = await start({ SECRETS_DIR: dir });
  rmSync(dir, { recursive: true });
  expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
  expect(app.store.current().google.clientSecret).toBe('files-google-secret-EEEEEEEEEEEE');
  expect(app.store.sourceHealth()[0]).toMatchObject({
    name: 'files',
    healthy: false,
    detail: expect.stringMatching(
      /^the directory cannot be read \(ENOENT\); serving the values read at /,
    ),
  });
});
