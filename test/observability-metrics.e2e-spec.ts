import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RelayConfigStore } from '@app/config';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { metricsDelta, scrape, seriesValue } from './observability-scrape';
import {
  availabilityRequest,
  GET_ROOM_LISTS,
  GET_SERVER_TIME_ZONES,
  roomsRequest,
} from './support/ews-request-bodies';
import { bearerTokenFor, requestToken, startRelay } from './support/relay-app';
import { fixture } from './support/soap';

/**
 * GET /metrics as Prometheus scrapes it, after real traffic: each counter an operator would
 * alert on moves by exactly what happened.
 */

const SOAP = { 'content-type': 'text/xml; charset=utf-8' };

function ews(
  app: NestFastifyApplication,
  body: string,
  token?: string,
  url = '/EWS/Exchange.asmx',
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...SOAP, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
}

describe('/metrics on the demo calendars', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay({ IP_ALLOWLIST: '127.0.0.0/8' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is Prometheus text, needs no token, and carries the process metrics', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE calendar_relay_ews_requests_total counter');
    expect(res.body).toContain('# TYPE calendar_relay_ews_request_duration_seconds histogram');
    expect(res.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts tokens issued and refused by reason', async () => {
    const delta = await metricsDelta(app);
    await bearerTokenFor(app);
    await bearerTokenFor(app);
    expect((await requestToken(app, { clientSecret: 'wrong-secret' })).statusCode).toBe(401);
    expect((await requestToken(app, { extra: { grant_type: 'password' } })).statusCode).toBe(400);
    const grew = await delta();
    expect(grew('calendar_relay_tokens_issued_total')).toBe(2);
    expect(grew('calendar_relay_token_failures_total', { reason: 'invalid_client' })).toBe(1);
    expect(grew('calendar_relay_token_failures_total', { reason: 'unsupported_grant_type' })).toBe(
      1,
    );
  });

  it('counts EWS requests by operation and outcome, with their latency, and mailboxes by ResponseCode', async () => {
    const token = await bearerTokenFor(app);
    const delta = await metricsDelta(app);
    // Google's own request: one known demo mailbox and one unknown address.
    expect((await ews(app, fixture('google-interop.xml'), token, '/')).statusCode).toBe(200);
    expect((await ews(app, fixture('google-interop.xml'), token)).statusCode).toBe(200);
    expect(
      (
        await ews(
          app,
          availabilityRequest(
            ['megan.bowen@contoso.com'],
            '2024-03-12T00:00:00',
            '2024-03-11T00:00:00',
          ),
          token,
        )
      ).statusCode,
    ).toBe(500);
    expect((await ews(app, GET_SERVER_TIME_ZONES, token)).statusCode).toBe(200);
    expect((await ews(app, fixture('google-interop.xml'))).statusCode).toBe(401);
    const grew = await delta();

    const gua = { operation: 'GetUserAvailability' };
    expect(grew('calendar_relay_ews_requests_total', { ...gua, outcome: 'ok' })).toBe(2);
    expect(grew('calendar_relay_ews_requests_total', { ...gua, outcome: 'fault' })).toBe(1);
    expect(
      grew('calendar_relay_ews_requests_total', { operation: 'GetServerTimeZones', outcome: 'ok' }),
    ).toBe(1);
    expect(
      grew('calendar_relay_ews_requests_total', { operation: 'other', outcome: 'unauthorized' }),
    ).toBe(1);
    expect(
      grew('calendar_relay_ews_request_duration_seconds_count', { ...gua, outcome: 'ok' }),
    ).toBe(2);
    // The demo's contoso.com is a tenant of its own, as with Graph.
    const contoso = { tenant: 'contoso' };
    expect(grew('calendar_relay_mailbox_outcomes_total', { ...contoso, code: 'NoError' })).toBe(2);
    expect(
      grew('calendar_relay_mailbox_outcomes_total', {
        ...contoso,
        code: 'ErrorMailRecipientNotFound',
      }),
    ).toBe(2);
    // The demo calendars make no upstream calls.
    expect(grew('calendar_relay_graph_calls_total', { result: 'answered' })).toBe(0);
  });

  it('counts the room operations by name, and every operation it does not answer by a bounded name', async () => {
    const token = await bearerTokenFor(app);
    const delta = await metricsDelta(app);
    expect((await ews(app, GET_ROOM_LISTS, token)).statusCode).toBe(200);
    expect((await ews(app, roomsRequest('rooms.building1@contoso.com'), token)).statusCode).toBe(
      200,
    );
    const unsupported = (element: string) =>
      GET_SERVER_TIME_ZONES.replace(/<m:GetServerTimeZones[^>]*\/>/, `<m:${element}/>`);
    expect((await ews(app, unsupported('FindItem'), token)).statusCode).toBe(500);
    expect((await ews(app, unsupported('GetUserOofSettingsRequest'), token)).statusCode).toBe(500);
    for (const made of ['X1', 'X2', 'X3']) {
      expect((await ews(app, unsupported(`MadeUp${made}`), token)).statusCode).toBe(500);
    }
    const grew = await delta();
    for (const operation of ['GetRoomLists', 'GetRooms']) {
      expect(grew('calendar_relay_ews_requests_total', { operation, outcome: 'ok' })).toBe(1);
    }
    const name = 'calendar_relay_ews_unsupported_operations_total';
    expect(grew(name, { operation: 'FindItem' })).toBe(1);
    expect(grew(name, { operation: 'GetUserOofSettings' })).toBe(1);
    expect(grew(name, { operation: 'unknown' })).toBe(3);
    expect(await scrape(app)).not.toContain('MadeUpX');
  });

  it('is no EWS route: IP_ALLOWLIST refuses an outside caller on EWS, not on /metrics', async () => {
    const delta = await metricsDelta(app);
    const outside = await app.inject({
      method: 'POST',
      url: '/',
      remoteAddress: '203.0.113.9',
      headers: SOAP,
      payload: GET_SERVER_TIME_ZONES,
    });
    expect(outside.statusCode).toBe(403);
    const metrics = await app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
    });
    expect(metrics.statusCode).toBe(200);
    const grew = await delta();
    expect(
      grew('calendar_relay_ews_requests_total', { operation: 'other', outcome: 'forbidden' }),
    ).toBe(1);
  });

  it('keeps each app to its own registry', async () => {
    const other = await startRelay();
    try {
      await bearerTokenFor(other);
      const mine = seriesValue(await scrape(app), 'calendar_relay_tokens_issued_total');
      expect(seriesValue(await scrape(other), 'calendar_relay_tokens_issued_total')).toBe(1);
      expect(mine).toBeGreaterThan(1);
    } finally {
      await other.close();
    }
  });
});

describe('/metrics with Microsoft Graph behind the relay', () => {
  let emulator: GraphEmulator;
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    app = await startRelay({
      ...emulator.relayEnv(),
      ALLOWED_DOMAINS: 'contoso.com',
      CACHE_TTL_SECONDS: '300',
      GRAPH_DEADLINE_MS: '5000',
    });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it('counts getSchedule calls, throttling, retries and cache hits and misses', async () => {
    const busy = { start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' };
    emulator.calendar.set('adele@contoso.com', { events: [busy] });
    emulator.calendar.set('megan@contoso.com', { events: [busy] });
    emulator.faults.add('getSchedule', { kind: 'status', status: 429, retryAfter: '0' });
    const delta = await metricsDelta(app);

    const body = availabilityRequest(['adele@contoso.com', 'megan@contoso.com', 'x@fabrikam.com']);
    expect((await ews(app, body, token)).statusCode).toBe(200);
    // The same lookup again: both contoso mailboxes from the cache, no call.
    expect((await ews(app, body, token)).statusCode).toBe(200);
    const grew = await delta();

    expect(emulator.counters.getSchedule).toBe(2);
    // One tenant: every Graph series is `default`'s, so dashboards of one tenant keep working.
    const one = { tenant: 'default' };
    expect(grew('calendar_relay_graph_calls_total', { ...one, result: 'throttled' })).toBe(1);
    expect(grew('calendar_relay_graph_calls_total', { ...one, result: 'answered' })).toBe(1);
    expect(grew('calendar_relay_graph_throttled_total', one)).toBe(1);
    expect(grew('calendar_relay_graph_retries_total', { ...one, reason: 'throttled' })).toBe(1);
    expect(
      grew('calendar_relay_graph_call_duration_seconds_count', { ...one, result: 'answered' }),
    ).toBe(1);
    expect(grew('calendar_relay_cache_misses_total', one)).toBe(2);
    expect(grew('calendar_relay_cache_hits_total', one)).toBe(2);
    expect(grew('calendar_relay_mailbox_outcomes_total', { ...one, code: 'NoError' })).toBe(4);
    // fabrikam.com is outside ALLOWED_DOMAINS: answered not found twice, never asked of Graph.
    expect(
      grew('calendar_relay_mailbox_outcomes_total', {
        tenant: '(none)',
        code: 'ErrorMailRecipientNotFound',
      }),
    ).toBe(2);
  });

  it('shows the Graph counters of the configured tenant at 0 before the first call', async () => {
    const fresh = await startRelay({ ...emulator.relayEnv(), ALLOWED_DOMAINS: 'contoso.com' });
    try {
      const text = await scrape(fresh);
      for (const name of [
        'calendar_relay_graph_throttled_total',
        'calendar_relay_cache_hits_total',
        'calendar_relay_cache_misses_total',
      ]) {
        expect(text).toContain(`${name}{tenant="default"} 0`);
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('/metrics with two tenants', () => {
  let emulator: GraphEmulator;
  let fabrikam: EmulatedTenant;
  let app: NestFastifyApplication;
  const FABRIKAM_GOOGLE = {
    clientId: 'google-fabrikam',
    clientSecret: 'fabrikam-0123456789-abcdef',
  };

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    fabrikam = emulator.addTenant({
      tenant: '9a8b7c6d-0000-4000-8000-fabrikam0002',
      clientId: '99999999-8888-7777-6666-000000000002',
      clientSecret: 'fabrikam~metrics.0123456789',
    });
    app = await startRelay({
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      ...emulator.relayEnvOf(emulator.primary, 'contoso'),
      ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
      TENANT_FABRIKAM_GOOGLE_CLIENT_ID: FABRIKAM_GOOGLE.clientId,
      TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: FABRIKAM_GOOGLE.clientSecret,
      CACHE_TTL_SECONDS: '300',
      GRAPH_DEADLINE_MS: '5000',
    });
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it("counts each tenant's Graph calls, throttling, retries, cache and mailboxes under its own label", async () => {
    const busy = { start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' };
    emulator.calendar.set('adele@contoso.com', { events: [busy] });
    fabrikam.calendar.set('lars@fabrikam.com', { events: [busy] });
    fabrikam.faults.add('getSchedule', { kind: 'status', status: 429, retryAfter: '0' });
    const delta = await metricsDelta(app);

    const body = availabilityRequest(['adele@contoso.com', 'lars@fabrikam.com']);
    const token = await bearerTokenFor(app);
    expect((await ews(app, body, token)).statusCode).toBe(200);
    expect((await ews(app, body, token)).statusCode).toBe(200);
    // Fabrikam's own Google client: contoso's mailbox is refused by the relay's policy.
    const own = await bearerTokenFor(app, FABRIKAM_GOOGLE);
    expect((await ews(app, body, own)).statusCode).toBe(200);
    const grew = await delta();

    const contoso = { tenant: 'contoso' };
    const fab = { tenant: 'fabrikam' };
    expect(grew('calendar_relay_graph_calls_total', { ...contoso, result: 'answered' })).toBe(1);
    expect(grew('calendar_relay_graph_calls_total', { ...contoso, result: 'throttled' })).toBe(0);
    expect(grew('calendar_relay_graph_calls_total', { ...fab, result: 'throttled' })).toBe(1);
    expect(grew('calendar_relay_graph_calls_total', { ...fab, result: 'answered' })).toBe(1);
    expect(grew('calendar_relay_graph_throttled_total', contoso)).toBe(0);
    expect(grew('calendar_relay_graph_throttled_total', fab)).toBe(1);
    expect(grew('calendar_relay_graph_retries_total', { ...fab, reason: 'throttled' })).toBe(1);
    expect(grew('calendar_relay_graph_retries_total', { ...contoso, reason: 'throttled' })).toBe(0);
    expect(grew('calendar_relay_cache_misses_total', contoso)).toBe(1);
    expect(grew('calendar_relay_cache_hits_total', contoso)).toBe(1);
    expect(grew('calendar_relay_cache_misses_total', fab)).toBe(1);
    expect(grew('calendar_relay_cache_hits_total', fab)).toBe(2);
    expect(grew('calendar_relay_mailbox_outcomes_total', { ...contoso, code: 'NoError' })).toBe(2);
    expect(grew('calendar_relay_mailbox_outcomes_total', { ...fab, code: 'NoError' })).toBe(3);
    expect(
      grew('calendar_relay_mailbox_outcomes_total', {
        tenant: '(none)',
        code: 'ErrorNoFreeBusyAccess',
      }),
    ).toBe(1);
  });
});

describe('/metrics and the secret sources', () => {
  let dir: string;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'calendar-relay-metrics-secrets-'));
    writeFileSync(path.join(dir, 'google_client_secret'), 'files-secret-0123456789-abcdefghij');
    app = await startRelay({ SECRETS_DIR: dir, SECRETS_REFRESH_SECONDS: '0' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts refreshes that worked and refreshes that failed, per source', async () => {
    const store = app.get(RelayConfigStore);
    const delta = await metricsDelta(app);
    await store.refreshNow();
    rmSync(dir, { recursive: true, force: true });
    await store.refreshNow();
    const grew = await delta();
    expect(
      grew('calendar_relay_config_refreshes_total', { source: 'files', outcome: 'success' }),
    ).toBe(1);
    expect(
      grew('calendar_relay_config_refreshes_total', { source: 'files', outcome: 'failure' }),
    ).toBe(1);
  });
});
