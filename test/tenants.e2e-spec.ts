import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RelayConfigStore } from '@app/config';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest, GET_SERVER_TIME_ZONES } from './support/ews-request-bodies';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import {
  bearerTokenFor,
  CollectedLogs,
  requestToken,
  startRelay,
  TEST_CLIENT_ID,
  type TokenRequestOptions,
} from './support/relay-app';
import { mailboxesOf } from './support/soap';

/**
 * Several Microsoft 365 tenants behind one relay (TENANTS), through the whole app against one
 * emulated Entra/Graph host serving two tenants with their own apps, secrets and directories:
 * routing by domain, one Graph plan per tenant, and isolation (one tenant's outage or throttling
 * never fails or slows the other's lookups).
 */

let emulator: GraphEmulator;
let contoso: EmulatedTenant;
let fabrikam: EmulatedTenant;

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  contoso = emulator.primary;
  fabrikam = emulator.addTenant({
    tenant: '9a8b7c6d-0000-4000-8000-fabrikam0001',
    clientId: '99999999-8888-7777-6666-555555555555',
    clientSecret: 'fabrikam~secret.fedcba9876543210',
  });
});
afterAll(async () => {
  await emulator.close();
});

let app: NestFastifyApplication | undefined;
/** More relays of one test (replicas with other configurations), closed after it. */
const replicas: NestFastifyApplication[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const replica of replicas.splice(0)) await replica.close();
});

beforeEach(() => {
  emulator.resetRecords();
  for (const tenant of [contoso, fabrikam]) {
    tenant.calendar.clear();
    tenant.scheduleLatencyMs = 0;
  }
  contoso.calendar
    .set('adele@contoso.com', { events: [busy('2024-03-11T09:00:00Z', '2024-03-11T10:00:00Z')] })
    .set('megan@contoso.de', { events: [busy('2024-03-11T11:00:00Z', '2024-03-11T12:00:00Z')] });
  fabrikam.calendar.set('lars@fabrikam.com', {
    events: [busy('2024-03-11T14:00:00Z', '2024-03-11T15:00:00Z')],
  });
});

function busy(start: string, end: string) {
  return { start, end, status: 'busy' };
}

/** The two tenants, each with its own Entra app in the emulator. */
const tenantsEnv = (): Record<string, string> => ({
  TENANTS: 'contoso,fabrikam',
  TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
  TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
  ...emulator.relayEnvOf(contoso, 'contoso'),
  ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
  CACHE_TTL_SECONDS: '0',
});

async function relay(env: Record<string, string> = {}) {
  app = await startRelay({ ...tenantsEnv(), ...env });
  const token = await bearerTokenFor(app);
  return (body: string) => ewsWith(app!, token, body);
}

function ewsWith(relayApp: NestFastifyApplication, token: string, body: string) {
  return relayApp.inject({
    method: 'POST',
    url: '/EWS/Exchange.asmx',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
    payload: body,
  });
}

const summary = async (body: string) =>
  (await mailboxesOf(body)).map((m) => [m.responseCode, m.events.map((e) => e.start)]);

it('answers a mixed request in order, each mailbox asked of its own tenant with its own token', async () => {
  const ask = await relay();
  const res = await ask(
    availabilityRequest([
      'lars@fabrikam.com',
      'adele@contoso.com',
      'nobody@elsewhere.example',
      'megan@contoso.de',
      'Lars@Fabrikam.com',
    ]),
  );
  expect(await summary(res.body)).toEqual([
    ['NoError', ['2024-03-11T14:00:00']],
    ['NoError', ['2024-03-11T09:00:00']],
    ['ErrorMailRecipientNotFound', []],
    ['NoError', ['2024-03-11T11:00:00']],
    ['NoError', ['2024-03-11T14:00:00']],
  ]);
  // One call per tenant, each with that tenant's mailboxes only, and a token of its own app.
  expect(contoso.scheduleCalls.map((c) => c.schedules)).toEqual([
    ['adele@contoso.com', 'megan@contoso.de'],
  ]);
  expect(fabrikam.scheduleCalls.map((c) => c.schedules)).toEqual([['lars@fabrikam.com']]);
  const appOf = (authorization: string | undefined) =>
    (
      JSON.parse(
        Buffer.from(authorization!.split(' ')[1].split('.')[1], 'base64url').toString(),
      ) as { appid: string }
    ).appid;
  expect(appOf(contoso.scheduleCalls[0].authorization)).toBe(contoso.clientId);
  expect(appOf(fabrikam.scheduleCalls[0].authorization)).toBe(fabrikam.clientId);
  expect(contoso.counters.tokensIssued).toBe(1);
  expect(fabrikam.counters.tokensIssued).toBe(1);
});

it("keeps tenant A's answers and latency while tenant B's Graph is down", async () => {
  const ask = await relay({ GRAPH_DEADLINE_MS: '2000' });
  fabrikam.faults.add('getSchedule', { kind: 'hang' }, { times: Infinity });
  const started = Date.now();
  const alone = await ask(availabilityRequest(['adele@contoso.com']));
  const aloneMs = Date.now() - started;
  expect(await summary(alone.body)).toEqual([['NoError', ['2024-03-11T09:00:00']]]);
  expect(aloneMs).toBeLessThan(1000);

  const mixed = await ask(availabilityRequest(['adele@contoso.com', 'lars@fabrikam.com']));
  expect((await mailboxesOf(mixed.body)).map((m) => m.responseCode)).toEqual([
    'NoError',
    'ErrorProxyRequestProcessingFailed',
  ]);
});

it("keeps tenant A's answers while tenant B is throttled past the deadline, and B's callers back off", async () => {
  const ask = await relay({ GRAPH_DEADLINE_MS: '1500' });
  fabrikam.faults.add(
    'getSchedule',
    { kind: 'status', status: 429, retryAfter: '30' },
    { times: Infinity },
  );
  const mixed = await ask(availabilityRequest(['lars@fabrikam.com', 'adele@contoso.com']));
  expect(mixed.statusCode).toBe(200);
  expect((await mailboxesOf(mixed.body)).map((m) => m.responseCode)).toEqual([
    'ErrorProxyRequestProcessingFailed',
    'NoError',
  ]);
  // B alone: the request-level ErrorServerBusy with Graph's back-off, as for one tenant.
  const alone = await ask(availabilityRequest(['lars@fabrikam.com']));
  expect(alone.statusCode).toBe(500);
  expect(alone.body).toContain('ErrorServerBusy');
  // A is not touched by B's throttling: its own limit and queue.
  const a = await ask(availabilityRequest(['adele@contoso.com', 'megan@contoso.de']));
  expect((await mailboxesOf(a.body)).map((m) => m.responseCode)).toEqual(['NoError', 'NoError']);
});

it("keeps tenant A working when tenant B's app secret is refused", async () => {
  const ask = await relay({ TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'not-the-secret' });
  const mixed = await ask(availabilityRequest(['adele@contoso.com', 'lars@fabrikam.com']));
  expect((await mailboxesOf(mixed.body)).map((m) => m.responseCode)).toEqual([
    'NoError',
    'ErrorFreeBusyGenerationFailed',
  ]);
  expect(fabrikam.counters.getSchedule).toBe(0);
});

it('lists every tenant in /health/ready and stays ready while any can serve', async () => {
  await relay({ TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'not-the-secret' });
  const ready = await app!.inject({ method: 'GET', url: '/health/ready' });
  expect(ready.statusCode).toBe(200);
  const report = JSON.stringify(ready.json());
  expect(report).toContain('contoso');
  expect(report).toContain('fabrikam');
  expect(report).toContain('invalid_client');
  expect(report).not.toContain('not-the-secret');
  expect((await app!.inject({ method: 'GET', url: '/health-check' })).statusCode).toBe(200);
});

describe('READINESS_REQUIRES_ALL_TENANTS=true', () => {
  const ready = async () => {
    const res = await app!.inject({ method: 'GET', url: '/health/ready' });
    const check = await app!.inject({ method: 'GET', url: '/health-check' });
    expect(check.statusCode).toBe(res.statusCode);
    return res;
  };

  it('fails /health/ready while one tenant cannot get a Graph token, naming it', async () => {
    await relay({
      READINESS_REQUIRES_ALL_TENANTS: 'true',
      TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'not-the-secret',
    });
    const res = await ready();
    expect(res.statusCode).toBe(503);
    const availability = res.json<{
      error: { availability: { detail: string; tenants: { tenant: string; ready: boolean }[] } };
    }>().error.availability;
    expect(availability.detail).toMatch(/fabrikam.*READINESS_REQUIRES_ALL_TENANTS/);
    expect(availability.tenants.map((t) => [t.tenant, t.ready])).toEqual([
      ['contoso', true],
      ['fabrikam', false],
    ]);
  });

  it('is ready while every tenant can', async () => {
    await relay({ READINESS_REQUIRES_ALL_TENANTS: 'true' });
    expect((await ready()).statusCode).toBe(200);
  });
});

/** Each tenant's own Google Interop endpoint (Google's "Additional Exchange endpoints"). */
const CONTOSO_GOOGLE = {
  clientId: 'google-interop-contoso',
  clientSecret: 'contoso-google-0123456789-abcdef',
};
const FABRIKAM_GOOGLE = {
  clientId: 'google-interop-fabrikam',
  clientSecret: 'fabrikam-google-0123456789-abcdef',
};
const ownGoogleClients = (fabrikamSecret = FABRIKAM_GOOGLE.clientSecret) => ({
  TENANT_CONTOSO_GOOGLE_CLIENT_ID: CONTOSO_GOOGLE.clientId,
  TENANT_CONTOSO_GOOGLE_CLIENT_SECRET: CONTOSO_GOOGLE.clientSecret,
  TENANT_FABRIKAM_GOOGLE_CLIENT_ID: FABRIKAM_GOOGLE.clientId,
  TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: fabrikamSecret,
});

/** Whether the relay's bearer guard lets the token through (GetServerTimeZones, no lookup). */
async function accepts(relayApp: NestFastifyApplication, token: string): Promise<boolean> {
  const res = await ewsWith(relayApp, token, GET_SERVER_TIME_ZONES);
  expect([200, 401]).toContain(res.statusCode);
  return res.statusCode === 200;
}

async function tokenStatus(relayApp: NestFastifyApplication, client: TokenRequestOptions) {
  return (await requestToken(relayApp, client)).statusCode;
}

describe("each tenant's own Google client", () => {
  it("sees its own tenant's mailboxes only, other tenants' answered no free/busy access; the global client sees both", async () => {
    const logs = new CollectedLogs();
    app = await startRelay({ ...tenantsEnv(), ...ownGoogleClients() }, { logger: logs });
    const mixed = availabilityRequest([
      'adele@contoso.com',
      'lars@fabrikam.com',
      'megan@contoso.de',
      'nobody@elsewhere.example',
    ]);

    const fabrikams = await ewsWith(app, await bearerTokenFor(app, FABRIKAM_GOOGLE), mixed);
    expect(await summary(fabrikams.body)).toEqual([
      ['ErrorNoFreeBusyAccess', []],
      ['NoError', ['2024-03-11T14:00:00']],
      ['ErrorNoFreeBusyAccess', []],
      ['ErrorMailRecipientNotFound', []],
    ]);
    // Contoso's Graph was never asked for fabrikam's caller.
    expect(contoso.counters.getSchedule).toBe(0);
    const [audit] = logs
      .find('Availability', '"msg":"availability lookup"')
      .map((e) => JSON.parse(e.line) as Record<string, unknown>);
    expect(audit).toMatchObject({
      caller: FABRIKAM_GOOGLE.clientId,
      callerTenant: 'fabrikam',
      tenants: ['fabrikam'],
      outcomes: { ErrorNoFreeBusyAccess: 2, NoError: 1, ErrorMailRecipientNotFound: 1 },
    });
    const [issued] = logs.find('TokenEndpoint', 'token issued');
    expect(JSON.parse(issued.line)).toMatchObject({
      clientId: FABRIKAM_GOOGLE.clientId,
      tenant: 'fabrikam',
    });

    const contosos = await ewsWith(app, await bearerTokenFor(app, CONTOSO_GOOGLE), mixed);
    expect((await mailboxesOf(contosos.body)).map((m) => m.responseCode)).toEqual([
      'NoError',
      'ErrorNoFreeBusyAccess',
      'NoError',
      'ErrorMailRecipientNotFound',
    ]);

    logs.clear();
    const globals = await ewsWith(app, await bearerTokenFor(app), mixed);
    expect((await mailboxesOf(globals.body)).map((m) => m.responseCode)).toEqual([
      'NoError',
      'NoError',
      'NoError',
      'ErrorMailRecipientNotFound',
    ]);
    const [globalAudit] = logs
      .find('Availability', '"msg":"availability lookup"')
      .map((e) => JSON.parse(e.line) as Record<string, unknown>);
    expect(globalAudit.caller).toBe(TEST_CLIENT_ID);
    expect(globalAudit).not.toHaveProperty('callerTenant');
  });

  it("refuses one client's secret under another client's id", async () => {
    app = await startRelay({ ...tenantsEnv(), ...ownGoogleClients() });
    expect(
      await tokenStatus(app, {
        clientId: CONTOSO_GOOGLE.clientId,
        clientSecret: FABRIKAM_GOOGLE.clientSecret,
      }),
    ).toBe(401);
    expect(await tokenStatus(app, { ...FABRIKAM_GOOGLE, via: 'basic' })).toBe(200);
  });

  it("rotating B's client secret keeps A's and the global client's tokens; B's previous secret works while it is kept", async () => {
    // Replicas: one still on fabrikam's old secret, one rotated with the old one kept, one
    // rotated without it. Tokens are checked by each replica without shared state.
    const ROTATED = 'fabrikam-google-rotated-0123456789';
    const start = async (env: Record<string, string>) => {
      const replica = await startRelay({ ...tenantsEnv(), ...env });
      replicas.push(replica);
      return replica;
    };
    const old = await start(ownGoogleClients());
    const kept = await start({
      ...ownGoogleClients(ROTATED),
      TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET_PREVIOUS: FABRIKAM_GOOGLE.clientSecret,
    });
    const dropped = await start(ownGoogleClients(ROTATED));
    const tokens = {
      global: await bearerTokenFor(old),
      contoso: await bearerTokenFor(old, CONTOSO_GOOGLE),
      fabrikam: await bearerTokenFor(old, FABRIKAM_GOOGLE),
    };

    for (const replica of [kept, dropped]) {
      expect(await accepts(replica, tokens.global)).toBe(true);
      expect(await accepts(replica, tokens.contoso)).toBe(true);
      expect(await tokenStatus(replica, CONTOSO_GOOGLE)).toBe(200);
      expect(await tokenStatus(replica, { ...FABRIKAM_GOOGLE, clientSecret: ROTATED })).toBe(200);
    }
    expect(await accepts(kept, tokens.fabrikam)).toBe(true);
    expect(await tokenStatus(kept, FABRIKAM_GOOGLE)).toBe(200);
    expect(await accepts(dropped, tokens.fabrikam)).toBe(false);
    expect(await tokenStatus(dropped, FABRIKAM_GOOGLE)).toBe(401);
  });

  it("does not let a tenant client's token outlive its tenant's removal from TENANTS", async () => {
    // One signing key for every client: the refusal is the relay's, not a key mismatch.
    const signingKey = { TOKEN_SIGNING_KEY: 's'.repeat(40) };
    const before = await startRelay({ ...tenantsEnv(), ...ownGoogleClients(), ...signingKey });
    replicas.push(before);
    const after = await startRelay({
      TENANTS: 'contoso',
      TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
      ...emulator.relayEnvOf(contoso, 'contoso'),
      TENANT_CONTOSO_GOOGLE_CLIENT_ID: CONTOSO_GOOGLE.clientId,
      TENANT_CONTOSO_GOOGLE_CLIENT_SECRET: CONTOSO_GOOGLE.clientSecret,
      ...signingKey,
    });
    replicas.push(after);
    expect(await accepts(after, await bearerTokenFor(before, CONTOSO_GOOGLE))).toBe(true);
    expect(await accepts(after, await bearerTokenFor(before))).toBe(true);
    expect(await accepts(after, await bearerTokenFor(before, FABRIKAM_GOOGLE))).toBe(false);
  });

  it("locks out one client id after repeated failures without locking out the others'", async () => {
    app = await startRelay({
      ...tenantsEnv(),
      ...ownGoogleClients(),
      TOKEN_MAX_FAILURES_PER_CLIENT: '3',
      TOKEN_MAX_FAILURES_PER_ADDRESS: '100',
    });
    const from = (address: number, client: TokenRequestOptions) =>
      app!.inject({
        method: 'POST',
        url: '/token',
        remoteAddress: `203.0.113.${address}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          client_id: client.clientId!,
          client_secret: client.clientSecret!,
        }).toString(),
      });
    // A guesser spread over addresses, at fabrikam's client id.
    for (const address of [1, 2, 3]) {
      expect((await from(address, { ...FABRIKAM_GOOGLE, clientSecret: 'guess' })).statusCode).toBe(
        401,
      );
    }
    const locked = await from(4, FABRIKAM_GOOGLE);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    expect((await from(5, CONTOSO_GOOGLE)).statusCode).toBe(200);
    expect(await tokenStatus(app, {})).toBe(200);
  });
});

describe("a tenant's secret rotated in Entra and in its own Vault secret", () => {
  let bao: OpenBaoDevServer;
  const CONTOSO_PATH = 'calendar-relay/tenants/contoso';
  const FABRIKAM_PATH = 'calendar-relay/tenants/fabrikam';
  const tenantSecret = (tenant: EmulatedTenant, domains: string) => ({
    domains,
    graph_client_id: tenant.clientId,
    graph_client_secret: tenant.clientSecret,
    graph_authority: emulator.authorityOf(tenant),
    graph_endpoint: emulator.origin,
  });

  beforeAll(async () => {
    bao = await OpenBaoDevServer.start();
    await bao.bao(
      ['policy', 'write', 'calendar-relay', '-'],
      relayPolicyFromDocs({ tenants: true }),
    );
    await bao.kvPut('secret', 'calendar-relay', {
      google_client_id: 'google-interop-test',
      google_client_secret: 'test-secret-0123456789-abcdefghij',
    });
    await bao.kvPut('secret', CONTOSO_PATH, tenantSecret(contoso, 'contoso.com,contoso.de'));
    await bao.kvPut('secret', FABRIKAM_PATH, tenantSecret(fabrikam, 'fabrikam.com'));
    await bao.bao(['token', 'create', '-id=relay-tenants', '-policy=calendar-relay', '-orphan']);
  });
  afterAll(async () => {
    await bao?.stop();
  });

  const vaultEnv = () => ({
    GOOGLE_CLIENT_ID: '',
    GOOGLE_CLIENT_SECRET: '',
    VAULT_ADDR: bao.address,
    VAULT_TOKEN: 'relay-tenants',
    VAULT_KV_MOUNT: 'secret',
    VAULT_SECRET_PATH: 'calendar-relay',
    VAULT_REFRESH_SECONDS: '0',
    TENANTS: 'contoso,fabrikam',
    TENANT_CONTOSO_VAULT_SECRET_PATH: CONTOSO_PATH,
    TENANT_FABRIKAM_VAULT_SECRET_PATH: FABRIKAM_PATH,
    CACHE_TTL_SECONDS: '0',
  });

  it("is picked up for that tenant at its first refusal, without touching the other's token", async () => {
    app = await startRelay(vaultEnv());
    const token = await bearerTokenFor(app);
    const ask = (addresses: string[]) =>
      app!.inject({
        method: 'POST',
        url: '/EWS/Exchange.asmx',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
        payload: availabilityRequest(addresses),
      });
    const codes = async (addresses: string[]) =>
      (await mailboxesOf((await ask(addresses)).body)).map((m) => m.responseCode);
    expect(await codes(['adele@contoso.com', 'lars@fabrikam.com'])).toEqual(['NoError', 'NoError']);

    const oldSecret = contoso.clientSecret;
    try {
      // Contoso's admin rotates its app secret in Entra (old tokens die) and in its own secret.
      contoso.clientSecret = 'contoso~rotated.secret.0123456789';
      emulator.revokeTokens(contoso);
      await bao.kvPut('secret', CONTOSO_PATH, tenantSecret(contoso, 'contoso.com,contoso.de'));
      // The lookup that meets the refusal answers contoso's mailbox with an error, fabrikam's
      // as ever; the refusal makes the relay re-read contoso's secret (no periodic re-read).
      expect(await codes(['adele@contoso.com', 'lars@fabrikam.com'])).toEqual([
        'ErrorFreeBusyGenerationFailed',
        'NoError',
      ]);
      await eventually(async () => expect(await codes(['adele@contoso.com'])).toEqual(['NoError']));
      // Fabrikam's app was never asked for a new token.
      expect(fabrikam.counters.tokensIssued).toBe(1);
    } finally {
      contoso.clientSecret = oldSecret;
      emulator.revokeTokens(contoso);
    }
  });

  it("rotates B's own Google client secret there, keeping A's tokens and B's previous secret for the grace", async () => {
    const ROTATED = 'fabrikam-google-rotated-in-vault-0123456789';
    const withGoogle = (
      tenant: EmulatedTenant,
      domains: string,
      google: typeof CONTOSO_GOOGLE,
    ) => ({
      ...tenantSecret(tenant, domains),
      google_client_id: google.clientId,
      google_client_secret: google.clientSecret,
    });
    await bao.kvPut(
      'secret',
      CONTOSO_PATH,
      withGoogle(contoso, 'contoso.com,contoso.de', CONTOSO_GOOGLE),
    );
    await bao.kvPut('secret', FABRIKAM_PATH, withGoogle(fabrikam, 'fabrikam.com', FABRIKAM_GOOGLE));
    try {
      app = await startRelay(vaultEnv());
      const tokens = {
        global: await bearerTokenFor(app),
        contoso: await bearerTokenFor(app, CONTOSO_GOOGLE),
        fabrikam: await bearerTokenFor(app, FABRIKAM_GOOGLE),
      };
      await bao.kvPut(
        'secret',
        FABRIKAM_PATH,
        withGoogle(fabrikam, 'fabrikam.com', { ...FABRIKAM_GOOGLE, clientSecret: ROTATED }),
      );
      const { changedKeys } = await app.get(RelayConfigStore).refreshNow({ tenant: 'fabrikam' });
      expect(changedKeys).toEqual(['TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET']);

      expect(await accepts(app, tokens.global)).toBe(true);
      expect(await accepts(app, tokens.contoso)).toBe(true);
      // Google still has fabrikam's old secret until its admin console is updated: the grace.
      expect(await accepts(app, tokens.fabrikam)).toBe(true);
      expect(await tokenStatus(app, FABRIKAM_GOOGLE)).toBe(200);
      expect(await tokenStatus(app, { ...FABRIKAM_GOOGLE, clientSecret: ROTATED })).toBe(200);
      // The grace is fabrikam's alone: contoso's own secret was never replaced.
      expect(await tokenStatus(app, { ...CONTOSO_GOOGLE, clientSecret: ROTATED })).toBe(401);
    } finally {
      await bao.kvPut('secret', CONTOSO_PATH, tenantSecret(contoso, 'contoso.com,contoso.de'));
      await bao.kvPut('secret', FABRIKAM_PATH, tenantSecret(fabrikam, 'fabrikam.com'));
    }
  });
});

async function eventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
