import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest } from './support/ews-request-bodies';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import { bearerTokenFor, startRelay } from './support/relay-app';
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
afterEach(async () => {
  await app?.close();
  app = undefined;
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

async function relay(env: Record<string, string> = {}) {
  app = await startRelay({
    TENANTS: 'contoso,fabrikam',
    TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
    TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
    ...emulator.relayEnvOf(contoso, 'contoso'),
    ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
    CACHE_TTL_SECONDS: '0',
    ...env,
  });
  const token = await bearerTokenFor(app);
  return (body: string) =>
    app!.inject({
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

  it("is picked up for that tenant at its first refusal, without touching the other's token", async () => {
    const vault = {
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
    };
    app = await startRelay(vault);
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
