import type { VaultSettings } from '../secret-source.settings';
import {
  forbidden,
  ManualScheduler,
  RecordingLogger,
  refused,
  ScriptedVaultApi,
  settle,
} from '../../test/vault-fakes';
import { VaultSession } from './vault-session';

const base: Omit<VaultSettings, 'auth'> = {
  address: 'https://vault.example.com:8200',
  kv: { mount: 'secret', path: 'relay', version: 2 },
  tenantSecrets: [],
  refreshSeconds: 300,
  startup: { attempts: 1, firstBackoffMs: 10 },
  requestTimeoutMs: 1000,
};

function approleSession(api: ScriptedVaultApi, files: Record<string, string> = {}) {
  const logger = new RecordingLogger();
  const scheduler = new ManualScheduler();
  const session = new VaultSession(
    {
      ...base,
      auth: {
        method: 'approle',
        mount: 'approle',
        roleId: 'role-1',
        secretIdFile: '/run/secret-id',
      },
    },
    {
      api,
      logger,
      scheduler,
      readSecretFile: (file) =>
        files[file] === undefined
          ? Promise.reject(new Error(`${file} missing`))
          : Promise.resolve(files[file]),
    },
  );
  return { session, logger, scheduler };
}

const login = (token: string, ttlSeconds = 3600, renewable = true) => ({
  token,
  expires: true,
  ttlSeconds,
  renewable,
});

describe('VaultSession', () => {
  it('logs in with the secret id read from its file at each login, then reads the secret', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1'));
    api.kv.push({ data: { google_client_secret: 's' }, version: 7 });
    const files = { '/run/secret-id': 'sid-1' };
    const { session } = approleSession(api, files);
    expect(await session.read(base.kv)).toEqual({
      values: { google_client_secret: 's' },
      version: 'version 7',
    });
    expect(api.calls).toEqual(['login approle approle role-1 sid-1', 'read secret/relay v2 t1']);
  });

  it('logs in again once when Vault refuses the token it holds, re-reading the secret-id file', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1'), login('t2'));
    api.kv.push({ data: {} }, forbidden(), { data: { a: '1' } });
    const files = { '/run/secret-id': 'sid-1' };
    const { session, logger } = approleSession(api, files);
    await session.read(base.kv);
    files['/run/secret-id'] = 'sid-2';
    expect((await session.read(base.kv)).values).toEqual({ a: '1' });
    expect(api.calls.slice(2)).toEqual([
      'read secret/relay v2 t1',
      'login approle approle role-1 sid-2',
      'read secret/relay v2 t2',
    ]);
    expect(logger.lines).toContain(
      "warn Vault refused the relay's token (GET /v1/secret/data/relay: HTTP 403 permission denied); logging in again",
    );
  });

  it('does not hide a network failure behind a login', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1'));
    api.kv.push({ data: {} }, refused());
    const { session } = approleSession(api, { '/run/secret-id': 'sid' });
    await session.read(base.kv);
    await expect(session.read(base.kv)).rejects.toThrow(
      'GET /v1/secret/data/relay: connection refused',
    );
    expect(api.calls.filter((c) => c.startsWith('login'))).toHaveLength(1);
  });

  it('renews at two thirds of the TTL once started, and logs in again when a renewal is refused', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1', 30), login('t2', 30));
    api.renewals.push(
      { expires: true, ttlSeconds: 30, renewable: true },
      forbidden('POST /v1/auth/token/renew-self'),
    );
    const { session, scheduler } = approleSession(api, { '/run/secret-id': 'sid' });
    await session.read(base.kv);
    expect(scheduler.pending()).toEqual([]); // nothing runs before the app has bootstrapped
    session.start();
    expect(scheduler.pending()).toEqual([20_000]);
    await scheduler.advance(20_000);
    expect(api.calls.at(-1)).toBe('renew-self t1');
    await scheduler.advance(20_000);
    expect(api.calls.slice(-2)).toEqual(['renew-self t1', 'login approle approle role-1 sid']);
    expect(scheduler.pending()).toEqual([20_000]);
  });

  it('keeps trying to log in, every 30 s, while Vault is down', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1', 3, false), refused('POST /v1/auth/approle/login'), login('t2'));
    const { session, scheduler, logger } = approleSession(api, { '/run/secret-id': 'sid' });
    await session.read(base.kv);
    session.start();
    await scheduler.advance(2000);
    expect(logger.lines.at(-1)).toBe(
      'error Logging in to Vault again failed: POST /v1/auth/approle/login: connection refused; retrying in 30 s',
    );
    await scheduler.advance(30_000);
    expect(api.token).toBe('t2');
  });

  it('with VAULT_TOKEN: looks it up, renews it, warns when renewal fails and never logs in', async () => {
    const api = new ScriptedVaultApi();
    api.lookup = { expires: true, ttlSeconds: 90, renewable: true };
    api.renewals.push(refused('POST /v1/auth/token/renew-self'), {
      expires: true,
      ttlSeconds: 90,
      renewable: true,
    });
    const logger = new RecordingLogger();
    const scheduler = new ManualScheduler();
    const session = new VaultSession(
      { ...base, auth: { method: 'token', token: 'operator-token' } },
      { api, logger, scheduler },
    );
    await session.read(base.kv);
    expect(api.calls).toEqual([
      'lookup-self operator-token',
      'read secret/relay v2 operator-token',
    ]);
    session.start();
    await scheduler.advance(60_000);
    expect(logger.lines.at(-1)).toBe(
      'error Renewing VAULT_TOKEN failed (POST /v1/auth/token/renew-self: connection refused); it expires in about 30 s unless renewed',
    );
    await scheduler.advance(15_000);
    expect(api.calls.filter((c) => c.startsWith('renew-self'))).toHaveLength(2);
    expect(api.calls.some((c) => c.startsWith('login'))).toBe(false);
    await session.stop();
    expect(api.calls.some((c) => c.startsWith('revoke-self'))).toBe(false); // not ours to revoke
  });

  it('reads with a VAULT_TOKEN that may not look itself up, without renewing it', async () => {
    const api = new ScriptedVaultApi();
    api.lookup = forbidden('GET /v1/auth/token/lookup-self');
    const logger = new RecordingLogger();
    const scheduler = new ManualScheduler();
    const session = new VaultSession(
      { ...base, auth: { method: 'token', token: 'tok' } },
      { api, logger, scheduler },
    );
    await session.read(base.kv);
    session.start();
    expect(scheduler.pending()).toEqual([]);
    expect(logger.lines).toEqual([
      "warn Could not look up VAULT_TOKEN's TTL (GET /v1/auth/token/lookup-self: HTTP 403 permission denied); it will not be renewed",
    ]);
  });

  it('stops renewing and revokes its own login token at shutdown', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('t1', 30));
    const { session, scheduler } = approleSession(api, { '/run/secret-id': 'sid' });
    await session.read(base.kv);
    session.start();
    await session.stop();
    await settle();
    expect(scheduler.pending()).toEqual([]);
    expect(api.calls.at(-1)).toBe('revoke-self t1');
    expect(api.token).toBeUndefined();
  });

  it('logs in to Kubernetes with the JWT from the token file', async () => {
    const api = new ScriptedVaultApi();
    api.logins.push(login('k1'));
    const session = new VaultSession(
      {
        ...base,
        auth: { method: 'kubernetes', mount: 'kubernetes', role: 'relay', tokenFile: '/sa/token' },
      },
      {
        api,
        logger: new RecordingLogger(),
        scheduler: new ManualScheduler(),
        readSecretFile: () => Promise.resolve('jwt.from.file'),
      },
    );
    await session.read(base.kv);
    expect(api.calls[0]).toBe('login kubernetes kubernetes relay jwt.from.file');
  });
});
