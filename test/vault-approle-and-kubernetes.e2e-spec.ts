import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SecretSourceUnavailableError } from '@app/config';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import {
  eventually,
  restoreLogger,
  startConfigApp,
  type ConfigApp,
} from './support/openbao-config-app';
import { TestKubernetesCluster, testClusterCaCert } from './support/openbao-kubernetes';

/**
 * The login methods against a real OpenBao dev server: AppRole (secret id inline and from a
 * file, renewal, re-login near the max TTL and after losing the token, revocation at shutdown)
 * and Kubernetes (the real kubernetes auth endpoint, with a test TokenReview API standing in for
 * the cluster: see support/openbao-kubernetes.ts).
 */

const SECRET = {
  google_client_id: 'google-interop-approle',
  google_client_secret: 'approle-google-secret-AAAAAAAAAAAA',
};

let bao: OpenBaoDevServer;
let scratch: string;
const apps: ConfigApp[] = [];

async function start(env: Record<string, string>): Promise<ConfigApp> {
  const app = await startConfigApp(env);
  apps.push(app);
  return app;
}

function baseEnv(extra: Record<string, string>): Record<string, string> {
  return {
    VAULT_ADDR: bao.address,
    VAULT_KV_MOUNT: 'secret',
    VAULT_SECRET_PATH: 'calendar-relay',
    VAULT_STARTUP_ATTEMPTS: '1',
    VAULT_REQUEST_TIMEOUT_MS: '2000',
    ...extra,
  };
}

async function roleId(role: string): Promise<string> {
  return (await bao.bao(['read', '-field=role_id', `auth/approle/role/${role}/role-id`])).trim();
}

async function newSecretId(role: string): Promise<string> {
  return (
    await bao.bao(['write', '-f', '-field=secret_id', `auth/approle/role/${role}/secret-id`])
  ).trim();
}

/** Accessors of every token Vault holds now (root's view). */
async function accessors(): Promise<string[]> {
  return (await bao.apiOk('LIST', 'auth/token/accessors')).body.data.keys as string[];
}

function vaultHealthy(app: ConfigApp): boolean | undefined {
  return app.store.sourceHealth().find((h) => h.name === 'vault')?.healthy;
}

beforeAll(async () => {
  bao = await OpenBaoDevServer.start();
  scratch = mkdtempSync(path.join(tmpdir(), 'calendar-relay-vault-login-'));
  await bao.bao(['policy', 'write', 'calendar-relay', '-'], relayPolicyFromDocs());
  await bao.bao([
    'kv',
    'put',
    '-mount=secret',
    'calendar-relay',
    ...Object.entries(SECRET).map(([k, v]) => `${k}=${v}`),
  ]);
  // The docs' AppRole set-up.
  await bao.bao(['auth', 'enable', 'approle']);
  await bao.bao([
    'write',
    'auth/approle/role/calendar-relay',
    'token_policies=calendar-relay',
    'token_ttl=1h',
    'token_max_ttl=24h',
  ]);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(async () => {
  await bao?.dispose();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  restoreLogger();
});

describe('VAULT_AUTH=approle', () => {
  it('logs in with VAULT_ROLE_ID and VAULT_SECRET_ID and reads the secret', async () => {
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('calendar-relay'),
        VAULT_SECRET_ID: await newSecretId('calendar-relay'),
      }),
    );
    expect(app.store.current().google.clientSecret).toBe(SECRET.google_client_secret);
    expect(app.logs.text()).toMatch(
      /Logged in to Vault http:\/\/127\.0\.0\.1:\d+ with approle \(token TTL 3600 s\)/,
    );
  });

  it('reads the secret id from VAULT_SECRET_ID_FILE (as Vault Agent or a CSI volume writes it, newline and all)', async () => {
    const file = path.join(scratch, 'secret-id');
    const secretId = await newSecretId('calendar-relay');
    writeFileSync(file, `${secretId}\n`);
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('calendar-relay'),
        VAULT_SECRET_ID_FILE: file,
      }),
    );
    expect(app.store.current().google.clientId).toBe(SECRET.google_client_id);
    expect(app.logs.text()).not.toContain(secretId);
  });

  it('refuses to start with a wrong secret id, naming the login request and its status', async () => {
    const failure = await startConfigApp(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('calendar-relay'),
        VAULT_SECRET_ID: 'not-the-secret-id',
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Vault http:\/\/127\.0\.0\.1:\d+, secret secret\/data\/calendar-relay, auth approle: POST \/v1\/auth\/approle\/login: HTTP 400 invalid role or secret ID \(gave up after 1 attempt in [\d.]+ s\)$/,
    );
    expect((failure as Error).message).not.toContain('not-the-secret-id');
  });

  it('renews its token, and logs in again before the max TTL ends, without a failed read', async () => {
    // Tokens that live 3 s and can be renewed up to 6 s in total.
    await bao.bao([
      'write',
      'auth/approle/role/short-lived',
      'token_policies=calendar-relay',
      'token_ttl=3s',
      'token_max_ttl=6s',
    ]);
    const file = path.join(scratch, 'short-lived-secret-id');
    // A secret id usable more than once: each re-login reads this file again.
    writeFileSync(file, await newSecretId('short-lived'));
    const startedAt = Date.now();
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('short-lived'),
        VAULT_SECRET_ID_FILE: file,
      }),
    );
    const count = (prefix: string) =>
      app.logs.entries.filter((l) => l.line.startsWith(prefix)).length;
    expect(count('Logged in to Vault')).toBe(1);
    await eventually(
      () => count('Logged in to Vault') >= 2,
      'a second login, before the first token reached its max TTL',
      10_000,
    );
    expect(count("Renewed the relay's Vault token")).toBeGreaterThanOrEqual(1);
    // Past the first token's max TTL, the relay still reads with the token of its new login.
    await new Promise((r) => setTimeout(r, Math.max(0, startedAt + 7000 - Date.now())));
    expect(await app.store.refreshNow()).toEqual({ changed: false, changedKeys: [] });
    expect(vaultHealthy(app)).toBe(true);
    expect(app.logs.text()).not.toContain('refused the relay');
  }, 30_000);

  it('logs in again when Vault no longer knows its token', async () => {
    const before = new Set(await accessors());
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('calendar-relay'),
        VAULT_SECRET_ID: await newSecretId('calendar-relay'),
      }),
    );
    const relayTokens = (await accessors()).filter((a) => !before.has(a));
    expect(relayTokens).toHaveLength(1);
    await bao.apiOk('POST', 'auth/token/revoke-accessor', { accessor: relayTokens[0] });

    await bao.bao([
      'kv',
      'patch',
      '-mount=secret',
      'calendar-relay',
      'google_client_id=after-relogin',
    ]);
    try {
      expect(await app.store.refreshNow()).toEqual({
        changed: true,
        changedKeys: ['GOOGLE_CLIENT_ID'],
      });
      expect(vaultHealthy(app)).toBe(true);
      expect(app.logs.text()).toMatch(
        /Vault refused the relay's token \(GET \/v1\/secret\/data\/calendar-relay: HTTP 403 permission denied\); logging in again/,
      );
    } finally {
      await bao.bao([
        'kv',
        'put',
        '-mount=secret',
        'calendar-relay',
        ...Object.entries(SECRET).map(([k, v]) => `${k}=${v}`),
      ]);
    }
  });

  it('revokes the token it logged in for when the app shuts down', async () => {
    const before = new Set(await accessors());
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: await roleId('calendar-relay'),
        VAULT_SECRET_ID: await newSecretId('calendar-relay'),
      }),
    );
    const relayTokens = (await accessors()).filter((a) => !before.has(a));
    expect(relayTokens).toHaveLength(1);
    await apps.splice(apps.indexOf(app), 1)[0].close();
    expect(await accessors()).not.toContain(relayTokens[0]);
  });
});

describe('VAULT_AUTH=kubernetes (real OpenBao kubernetes auth; test TokenReview API)', () => {
  let cluster: TestKubernetesCluster;

  beforeAll(async () => {
    cluster = await TestKubernetesCluster.start();
    await bao.bao(['auth', 'enable', 'kubernetes']);
    const keyFile = path.join(scratch, 'sa-signing-key.pub');
    writeFileSync(keyFile, cluster.publicKeyPem);
    const caFile = path.join(scratch, 'cluster-ca.pem');
    writeFileSync(caFile, testClusterCaCert(scratch));
    await bao.bao([
      'write',
      'auth/kubernetes/config',
      `kubernetes_host=${cluster.host}`,
      `kubernetes_ca_cert=@${caFile}`,
      // Outside a pod: no local service-account token or CA to fall back on.
      'disable_local_ca_jwt=true',
      // Signatures are checked by OpenBao itself too, against the test issuer's key.
      `pem_keys=@${keyFile}`,
    ]);
    // The docs' role.
    await bao.bao([
      'write',
      'auth/kubernetes/role/calendar-relay',
      'bound_service_account_names=calendar-relay',
      'bound_service_account_namespaces=calendar-relay',
      'token_policies=calendar-relay',
      'token_ttl=1h',
    ]);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('logs in with the service-account token file and VAULT_K8S_ROLE, and reads the secret', async () => {
    const jwt = cluster.serviceAccountToken({
      namespace: 'calendar-relay',
      name: 'calendar-relay',
    });
    const tokenFile = path.join(scratch, 'sa-token');
    writeFileSync(tokenFile, `${jwt}\n`);
    cluster.reviews.length = 0;
    const app = await start(
      baseEnv({
        VAULT_AUTH: 'kubernetes',
        VAULT_K8S_ROLE: 'calendar-relay',
        VAULT_K8S_TOKEN_FILE: tokenFile,
      }),
    );
    expect(app.store.current().google.clientSecret).toBe(SECRET.google_client_secret);
    // OpenBao reviewed exactly the token from the file (newline dropped) with the "cluster".
    expect(cluster.reviews).toEqual([jwt]);
    expect(app.logs.text()).toMatch(
      /Logged in to Vault http:\/\/127\.0\.0\.1:\d+ with kubernetes \(token TTL 3600 s\)/,
    );
    expect(app.logs.text()).not.toContain(jwt);
  });

  it('refuses to start as a service account the role is not bound to', async () => {
    const tokenFile = path.join(scratch, 'intruder-token');
    writeFileSync(
      tokenFile,
      cluster.serviceAccountToken({ namespace: 'calendar-relay', name: 'intruder' }),
    );
    const failure = await startConfigApp(
      baseEnv({
        VAULT_AUTH: 'kubernetes',
        VAULT_K8S_ROLE: 'calendar-relay',
        VAULT_K8S_TOKEN_FILE: tokenFile,
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SecretSourceUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Vault http:\/\/127\.0\.0\.1:\d+, secret secret\/data\/calendar-relay, auth kubernetes: POST \/v1\/auth\/kubernetes\/login: HTTP 403 service account name not authorized \(gave up after 1 attempt in [\d.]+ s\)$/,
    );
  });

  it('refuses to start when the token file is missing, naming the file', async () => {
    const missing = path.join(scratch, 'no-such-token');
    const failure = await startConfigApp(
      baseEnv({
        VAULT_AUTH: 'kubernetes',
        VAULT_K8S_ROLE: 'calendar-relay',
        VAULT_K8S_TOKEN_FILE: missing,
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toMatch(
      new RegExp(
        `auth kubernetes: VAULT_K8S_TOKEN_FILE ${missing} cannot be read \\(ENOENT\\) \\(gave up after 1 attempt`,
      ),
    );
  });
});
