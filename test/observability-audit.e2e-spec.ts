import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEMO_MAILBOXES } from '@app/demo';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest } from './support/ews-request-bodies';
import {
  bearerTokenFor,
  CollectedLogs,
  startRelay,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from './support/relay-app';
import { fixture, mailboxesOf } from './support/soap';

/**
 * The audit line: one JSON line per GetUserAvailability saying who asked what and what came of
 * it, which an admin greps when "diagnostics pass but users see nothing". It must carry the
 * request id the caller sees in x-request-id, and never a secret, a token or an event subject.
 */

const SOAP = { 'content-type': 'text/xml; charset=utf-8' };

function auditLines(logs: CollectedLogs): Record<string, unknown>[] {
  return logs
    .find('Availability', '"msg":"availability lookup"')
    .map((e) => JSON.parse(e.line) as Record<string, unknown>);
}

describe('the audit line on the demo calendars', () => {
  const logs = new CollectedLogs();
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    // Details on, so the answer carries event subjects: they must still stay out of the log.
    app = await startRelay({ EVENT_DETAILS: 'true' }, { logger: logs });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => logs.clear());

  it('says who asked what and what came of it, under the request id the caller got back', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/',
      remoteAddress: '74.125.88.7',
      headers: { ...SOAP, authorization: `Bearer ${token}`, 'x-request-id': 'google-req-42' },
      payload: fixture('google-interop.xml'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('google-req-42');
    const subjects = (await mailboxesOf(res.body)).flatMap((m) =>
      m.events.map((e) => e.subject).filter((s): s is string => s !== undefined && s !== ''),
    );
    expect(subjects.length).toBeGreaterThan(0);

    const lines = auditLines(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      msg: 'availability lookup',
      requestId: 'google-req-42',
      result: 'answered',
      caller: TEST_CLIENT_ID,
      tokenId: expect.stringMatching(/^[\w-]{8,}$/),
      roleAccount: 'interop-role@contoso.com',
      clientIp: '74.125.88.7',
      mailboxes: 2,
      domains: ['contoso.com'],
      windowStart: '2024-03-11T00:00:00.000Z',
      windowEnd: '2024-03-18T00:00:00.000Z',
      intervalMinutes: 30,
      view: 'DetailedMerged',
      zone: expect.any(String),
      tenants: ['contoso'],
      outcomes: { NoError: 1, ErrorMailRecipientNotFound: 1 },
      provider: 'demo',
      graphCalls: 0,
      cacheHits: 0,
      latencyMs: expect.any(Number),
    });

    const everything = logs.text();
    expect(everything).not.toContain(TEST_CLIENT_SECRET);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    for (const subject of subjects) expect(everything).not.toContain(subject);
    for (const mailbox of DEMO_MAILBOXES) {
      for (const event of mailbox.events) expect(everything).not.toContain(event.subject);
    }
  });

  it('gives a request without x-request-id a fresh id, echoed and logged', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      headers: { ...SOAP, authorization: `Bearer ${token}` },
      payload: availabilityRequest(['megan.bowen@contoso.com', 'x@fabrikam.com']),
    });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = auditLines(logs);
    expect(line.requestId).toBe(id);
    expect(line.domains).toEqual(['contoso.com', 'fabrikam.com']);
    expect(line.view).toBe('FreeBusy');
  });

  it('writes the line for a lookup answered with a fault, naming the fault', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { ...SOAP, authorization: `Bearer ${token}`, 'x-request-id': 'bad-window' },
      payload: availabilityRequest(
        ['megan.bowen@contoso.com'],
        '2024-03-12T00:00:00',
        '2024-03-11T00:00:00',
      ),
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('bad-window');
    const [line] = auditLines(logs);
    expect(line).toMatchObject({
      requestId: 'bad-window',
      result: 'fault',
      faultCode: 'ErrorInvalidTimeInterval',
      caller: TEST_CLIENT_ID,
    });
    expect(line.outcomes).toBeUndefined();
  });

  it('echoes the request id on refusals too (a 401 Google reports is found by its id)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { ...SOAP, 'x-request-id': 'no-token-1' },
      payload: fixture('google-interop.xml'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toBe('no-token-1');
  });
});

describe('the audit line with Microsoft Graph', () => {
  const logs = new CollectedLogs();
  let emulator: GraphEmulator;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    app = await startRelay(
      { ...emulator.relayEnv(), ALLOWED_DOMAINS: 'contoso.com', CACHE_TTL_SECONDS: '300' },
      { logger: logs },
    );
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it('counts the getSchedule calls and cache hits of each lookup, without the Graph secret', async () => {
    emulator.calendar.set('adele@contoso.com', {
      events: [
        {
          start: '2024-03-11T17:00:00Z',
          end: '2024-03-11T18:00:00Z',
          status: 'busy',
          subject: 'Secret merger talks',
        },
      ],
    });
    const token = await bearerTokenFor(app);
    const ask = () =>
      app.inject({
        method: 'POST',
        url: '/',
        headers: { ...SOAP, authorization: `Bearer ${token}` },
        payload: availabilityRequest(['adele@contoso.com'], undefined, undefined, 'Detailed'),
      });
    expect((await ask()).statusCode).toBe(200);
    expect((await ask()).statusCode).toBe(200);
    const [first, second] = auditLines(logs);
    expect(first).toMatchObject({
      provider: 'graph',
      graphCalls: 1,
      cacheHits: 0,
      outcomes: { NoError: 1 },
    });
    expect(second).toMatchObject({
      provider: 'graph',
      graphCalls: 0,
      cacheHits: 1,
      outcomes: { NoError: 1 },
    });
    const everything = logs.text();
    expect(everything).not.toContain(emulator.clientSecret);
    expect(everything).not.toContain('Secret merger talks');
  });
});
