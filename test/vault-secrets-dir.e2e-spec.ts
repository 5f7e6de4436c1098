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
