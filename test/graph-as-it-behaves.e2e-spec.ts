import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest } from './support/ews-request-bodies';
import { bearerTokenFor, CollectedLogs, startRelay } from './support/relay-app';
import { faultOf, mailboxesOf } from './support/soap';

/**
 * Microsoft Graph as it really behaves, as an EWS caller sees it: the whole relay (app.inject
 * with a real token) against the emulator with Graph's unpleasant parts switched on (per-app
 * concurrency, scoped apps, on-premises anchors, distribution lists, cut-off answers, aliases,
 * app-only answers without details, Entra hiccups). Each behaviour's source is beside the
 * emulator's code (test/graph-emulator) and in the README, "What Microsoft Graph does that the
 * relay handles".
 */

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await GraphEmulator.start();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.calendar.clear();
  emulator.resetRecords();
  emulator.scopeTo(undefined);
  emulator.scheduleLatencyMs = 0;
  emulator.appConcurrencyLimit = 4;
  emulator.writing = { maxItemsPerSchedule: 1000, omitDetails: false };
});

let open: NestFastifyApplication[] = [];
afterEach(async () => {
  await Promise.all(open.map((app) => app.close()));
  open = [];
});

async function relay(env: Record<string, string> = {}, logs?: CollectedLogs) {
  const app = await startRelay(
    { ...emulator.relayEnv(), CACHE_TTL_SECONDS: '0', ...env },
    logs === undefined ? {} : { logger: logs },
  );
  open.push(app);
  const token = await bearerTokenFor(app);
  const ask = (body: string) =>
    app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      payload: body,
    });
  return { app, ask };
}

const busy = (start: string, end: string, subject = 'Busy') => ({
  start,
  end,
  status: 'busy',
  subject,
  location: 'Room 1',
});

const codes = async (body: string) => (await mailboxesOf(body)).map((m) => m.responseCode);

describe('an app scoped to part of the tenant (application access policy, RBAC for Applications)', () => {
  beforeEach(() => {
    for (const address of ['outside@contoso.com', 'adele@contoso.com', 'megan@contoso.com']) {
      emulator.calendar.set(address, {
        events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z')],
      });
    }
    emulator.scopeTo(['adele@contoso.com', 'megan@contoso.com']);
  });

  it('answers a lookup whose first address is out of scope, anchored on the next', async () => {
    const { ask } = await relay();
    const res = await ask(
      availabilityRequest(['outside@contoso.com', 'adele@contoso.com', 'megan@contoso.com']),
    );
    expect(res.statusCode).toBe(200);
    expect(await codes(res.body)).toEqual(['NoError', 'NoError', 'NoError']);
    expect(emulator.scheduleCalls.map((c) => c.anchor)).toEqual([
      'outside@contoso.com',
      'adele@contoso.com',
    ]);
  });

  it('answers a lone out-of-scope mailbox "no free/busy access", never free, when no anchor is known', async () => {
    const { ask } = await relay();
    const res = await ask(availabilityRequest(['outside@contoso.com'], undefined, undefined, 'FreeBusyMerged')); // prettier-ignore
    const [outside] = await mailboxesOf(res.body);
    expect(outside).toMatchObject({
      responseClass: 'Error',
      responseCode: 'ErrorNoFreeBusyAccess',
      viewType: 'None',
    });
    expect(outside.merged).toBeUndefined();
  });

  it('then serves it through the last anchor Graph accepted, without asking the refused one again', async () => {
    const { ask } = await relay();
    await ask(availabilityRequest(['outside@contoso.com']));
    await ask(availabilityRequest(['adele@contoso.com']));
    emulator.resetRecords();

    const res = await ask(availabilityRequest(['outside@contoso.com']));
    expect(await codes(res.body)).toEqual(['NoError']);
    expect(emulator.scheduleCalls.map((c) => c.anchor)).toEqual(['adele@contoso.com']);
  });

  it('anchors every call on GRAPH_ANCHOR_MAILBOX, so no call is refused', async () => {
    const { ask } = await relay({ GRAPH_ANCHOR_MAILBOX: 'Megan@contoso.com' });
    const res = await ask(availabilityRequest(['outside@contoso.com', 'adele@contoso.com']));
    expect(await codes(res.body)).toEqual(['NoError', 'NoError']);
    expect(emulator.scheduleCalls.map((c) => c.anchor)).toEqual(['megan@contoso.com']);
  });

  it('calls the app misconfigured, loudly, when GRAPH_ANCHOR_MAILBOX itself is refused', async () => {
    const logs = new CollectedLogs();
    const { ask } = await relay({ GRAPH_ANCHOR_MAILBOX: 'outside@contoso.com' }, logs);
    const res = await ask(availabilityRequest(['adele@contoso.com']));
    expect(res.statusCode).toBe(500);
    expect((await faultOf(res.body)).responseCode).toBe('ErrorInternalServerError');
    expect(
      logs.entries.some(
        (e) =>
          e.level === 'error' &&
          e.line.includes('GRAPH_ANCHOR_MAILBOX outside@contoso.com') &&
          e.line.includes('Access to OData is disabled'),
      ),
    ).toBe(true);
  });
});

it('re-anchors past an on-premises mailbox (404 MailboxNotEnabledForRESTAPI) and answers it', async () => {
  emulator.calendar
    .set('onprem@contoso.com', {
      onPremises: true,
      events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z')],
    })
    .set('adele@contoso.com', {});
  const { ask } = await relay();
  const res = await ask(availabilityRequest(['onprem@contoso.com', 'adele@contoso.com']));
  const [onprem, adele] = await mailboxesOf(res.body);
  expect(onprem).toMatchObject({ responseCode: 'NoError' });
  expect(onprem.events.map((e) => e.busyType)).toEqual(['Busy']);
  expect(adele).toMatchObject({ responseCode: 'NoError' });
});

describe("Graph's 4 concurrent requests per app", () => {
  const hundred = (prefix: string) =>
    Array.from({ length: 100 }, (_, i) => {
      const address = `${prefix}${String(i).padStart(3, '0')}@contoso.com`;
      emulator.calendar.set(address, {
        events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z')],
      });
      return address;
    });
  // Eight lookups of 100 mailboxes, each on another day: 40 calls wanted at once.
  const burst = (ask: (body: string) => Promise<{ body: string }>, mailboxes: string[]) =>
    Promise.all(
      Array.from({ length: 8 }, (_, day) =>
        ask(
          availabilityRequest(
            mailboxes,
            `2024-03-${String(11 + day).padStart(2, '0')}T00:00:00`,
            `2024-03-${String(12 + day).padStart(2, '0')}T00:00:00`,
          ),
        ),
      ),
    );

  it('keeps a burst of 8 lookups of 100 mailboxes within the limit, failing none', async () => {
    emulator.scheduleLatencyMs = 50;
    const mailboxes = hundred('burst');
    const { ask } = await relay();
    const answers = await burst(ask, mailboxes);
    for (const answer of answers) {
      expect(new Set(await codes(answer.body))).toEqual(new Set(['NoError']));
    }
    expect(emulator.counters.getSchedule).toBe(40);
    expect(emulator.peakConcurrency()).toBeLessThanOrEqual(4);
    expect(emulator.counters.applicationThrottled).toBe(0);
  });

  it('absorbs an ApplicationThrottled storm (another user of the app id holds half the slots)', async () => {
    emulator.scheduleLatencyMs = 50;
    emulator.appConcurrencyLimit = 2;
    const mailboxes = hundred('storm');
    const logs = new CollectedLogs();
    const { ask } = await relay({}, logs);
    const answers = await burst(ask, mailboxes);
    for (const answer of answers) {
      expect(new Set(await codes(answer.body))).toEqual(new Set(['NoError']));
    }
    expect(emulator.counters.applicationThrottled).toBeGreaterThan(0);
    // The relay lowered its own limit instead of hammering: a handful of refusals, not one per
    // call, and said so.
    expect(emulator.counters.applicationThrottled).toBeLessThan(20);
    expect(
      logs.entries.some((e) => e.line.includes('ApplicationThrottled') && e.level === 'warn'),
    ).toBe(true);
  });
});

it('shows a distribution list busy when its members are, from its availabilityView', async () => {
  emulator.calendar
    .set('adele@contoso.com', { events: [busy('2024-03-11T09:00:00Z', '2024-03-11T10:00:00Z')] })
    .set('megan@contoso.com', {
      events: [{ start: '2024-03-11T14:00:00Z', end: '2024-03-11T14:30:00Z', status: 'oof' }],
    })
    .set('team@contoso.com', { members: ['adele@contoso.com', 'megan@contoso.com'] });
  const { ask } = await relay();
  // A list is no user, so Graph refuses it as the URL's mailbox (404): the call is anchored on
  // the next mailbox, and the list is answered in the body.
  const res = await ask(
    availabilityRequest(
      ['team@contoso.com', 'adele@contoso.com'],
      undefined,
      undefined,
      'FreeBusyMerged',
    ),
  );
  expect(emulator.scheduleCalls.map((c) => c.anchor)).toEqual([
    'team@contoso.com',
    'adele@contoso.com',
  ]);
  const [team] = await mailboxesOf(res.body);
  expect(team.responseCode).toBe('NoError');
  expect(team.events).toEqual([
    { start: '2024-03-11T09:00:00', end: '2024-03-11T10:00:00', busyType: 'Busy' },
    { start: '2024-03-11T14:00:00', end: '2024-03-11T14:30:00', busyType: 'OOF' },
  ]);
  expect(team.merged).toBe(`${'0'.repeat(18)}22${'0'.repeat(8)}3${'0'.repeat(19)}`);
});

it('completes a calendar of 1,260 items over 42 days, which Graph cuts off at 1,000', async () => {
  // 30 meetings a day, 15 minutes each, on the hour and half hour from 06:00 UTC.
  const events = Array.from({ length: 42 * 30 }, (_, i) => {
    const startMs = Date.UTC(2024, 2, 4 + Math.floor(i / 30), 6) + (i % 30) * 30 * 60_000;
    return {
      start: new Date(startMs).toISOString(),
      end: new Date(startMs + 15 * 60_000).toISOString(),
      status: 'busy',
      subject: `Meeting ${i}`,
    };
  });
  emulator.calendar.set('busy@contoso.com', { events });
  const { ask } = await relay({ EVENT_DETAILS: 'true' });
  const res = await ask(
    availabilityRequest(
      ['busy@contoso.com'],
      '2024-03-04T00:00:00',
      '2024-04-15T00:00:00',
      'DetailedMerged',
    ),
  );
  const [mailbox] = await mailboxesOf(res.body);
  expect(mailbox.responseCode).toBe('NoError');
  expect(mailbox.events).toHaveLength(1260);
  expect(new Set(mailbox.events.map((e) => e.subject))).toEqual(
    new Set(events.map((e) => e.subject)),
  );
  // The cut-off answer, then its window in halves (630 items each).
  expect(emulator.counters.getSchedule).toBe(3);
});

it.each([
  [
    503,
    'temporarily_unavailable',
    'AADSTS90033: A transient error has occurred. Please try again.',
  ],
  [
    429,
    'temporarily_unavailable',
    'AADSTS90055: TenantThrottlingError - There are too many incoming requests.',
  ],
])(
  'hides a revoked token followed by an Entra %i (%s) from the caller and from readiness',
  async (status, error, description) => {
    emulator.calendar.set('adele@contoso.com', {
      events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z')],
    });
    const { app, ask } = await relay();
    expect(await codes((await ask(availabilityRequest(['adele@contoso.com']))).body)).toEqual([
      'NoError',
    ]);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    emulator.revokeTokens();
    emulator.faults.add(
      'token',
      {
        kind: 'status',
        status,
        body: {
          error,
          error_description: description,
          error_codes: [Number(description.slice(6, 11))],
        },
      },
      { times: 2 },
    );
    const res = await ask(availabilityRequest(['adele@contoso.com']));
    expect(res.statusCode).toBe(200);
    expect(await codes(res.body)).toEqual(['NoError']);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
  },
);

it('renders an app-only answer without subject, location and isPrivate cleanly', async () => {
  emulator.writing = { maxItemsPerSchedule: 1000, omitDetails: true };
  emulator.calendar.set('adele@contoso.com', {
    events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z', 'Secret plans')],
  });
  const { ask } = await relay({ EVENT_DETAILS: 'true' });
  const res = await ask(
    availabilityRequest(['adele@contoso.com'], undefined, undefined, 'DetailedMerged'),
  );
  const [adele] = await mailboxesOf(res.body);
  expect(adele.events).toEqual([
    {
      start: '2024-03-11T17:00:00',
      end: '2024-03-11T18:00:00',
      busyType: 'Busy',
      subject: undefined,
      isPrivate: 'false',
    },
  ]);
  expect(res.body).not.toMatch(/<t:Subject\s*\/>|<t:Subject><\/t:Subject>/);
  expect(res.body).not.toMatch(/<t:Location\s*\/>|<t:Location><\/t:Location>/);
  expect(res.body).not.toContain('Secret plans');
});

it('asks a 62-day window that reaches Graph a second longer in two pieces, losing nothing', async () => {
  emulator.calendar.set('adele@contoso.com', {
    events: [
      busy('2024-03-01T09:00:00Z', '2024-03-01T10:00:00Z', 'First day'),
      busy('2024-04-01T09:00:00Z', '2024-04-01T10:00:00Z', 'Middle'),
      busy('2024-05-01T22:00:00Z', '2024-05-01T23:00:00Z', 'Last day'),
    ],
  });
  const { ask } = await relay({ EVENT_DETAILS: 'true' });
  const res = await ask(
    availabilityRequest(
      ['adele@contoso.com'],
      '2024-03-01T00:00:00.500',
      '2024-05-02T00:00:00.500',
      'Detailed',
    ),
  );
  const [adele] = await mailboxesOf(res.body);
  expect(adele.responseCode).toBe('NoError');
  expect(adele.events.map((e) => e.subject)).toEqual(['First day', 'Middle', 'Last day']);
  expect(emulator.counters.getSchedule).toBe(2);
  for (const call of emulator.scheduleCalls) {
    const start = Date.parse(`${(call.body.startTime as { dateTime: string }).dateTime}Z`);
    const end = Date.parse(`${(call.body.endTime as { dateTime: string }).dateTime}Z`);
    expect(end - start).toBeLessThanOrEqual(62 * 86_400_000);
  }
});

it('matches an answer Graph gives under the primary address to the alias that was asked', async () => {
  emulator.calendar.set('a.vance@contoso.com', {
    primaryAddress: 'adele.vance@contoso.com',
    events: [busy('2024-03-11T17:00:00Z', '2024-03-11T18:00:00Z')],
  });
  emulator.calendar.set('megan@contoso.com', {});
  const { ask } = await relay();
  const res = await ask(availabilityRequest(['a.vance@contoso.com', 'megan@contoso.com']));
  const [alias, megan] = await mailboxesOf(res.body);
  expect(alias.responseCode).toBe('NoError');
  expect(alias.events.map((e) => e.busyType)).toEqual(['Busy']);
  expect(megan.events).toEqual([]);
});

it('reads working elsewhere (written 0 in the view) as working elsewhere, not as free or busy', async () => {
  emulator.calendar.set('adele@contoso.com', {
    events: [
      { start: '2024-03-11T09:00:00Z', end: '2024-03-11T17:00:00Z', status: 'workingElsewhere' },
    ],
  });
  const { ask } = await relay();
  // WorkingElsewhere is only for clients of Exchange 2013 or later.
  const res = await ask(
    availabilityRequest(['adele@contoso.com'], undefined, undefined, 'FreeBusyMerged').replace(
      '<s:Body>',
      '<s:Header><t:RequestServerVersion Version="Exchange2013"/></s:Header><s:Body>',
    ),
  );
  const [adele] = await mailboxesOf(res.body);
  expect(adele.events.map((e) => e.busyType)).toEqual(['WorkingElsewhere']);
  expect(adele.merged).toBe('0'.repeat(48));
});
