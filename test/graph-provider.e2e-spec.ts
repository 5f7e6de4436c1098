import { connect } from 'node:net';
import type { MailboxAvailability } from '@app/availability';
import type { GraphEmulator } from './graph-emulator/graph-emulator';
import {
  availabilityQuery,
  lookUp,
  contosoMailboxes,
  DAY_MS,
  MONDAY,
  graphProviderSuite,
} from './graph-emulator/graph-provider-harness';

/**
 * The real GraphAvailabilityProvider (GraphModule, @azure/identity, the Graph SDK, Node's TLS)
 * against the local Entra/Graph emulator: how many calls a lookup costs, what reaches Graph,
 * and what the caller gets back. Run through with-test-ca.sh (see its header).
 */

const suite = graphProviderSuite();
const outbound = suite.outbound;
let emulator: GraphEmulator;
beforeAll(() => {
  emulator = suite.emulator();
});

const start = suite.start;

const okOf = (result: MailboxAvailability) => {
  if (result.outcome !== 'ok')
    throw new Error(`${result.address}: ${result.reason} ${result.detail}`);
  return result;
};

describe('query planning', () => {
  it('asks for 45 mailboxes in 3 getSchedule calls of at most 20, each through its own anchor', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 45);

    const result = await provider.lookup(availabilityQuery(mailboxes));

    expect(emulator.counters.getSchedule).toBe(3);
    const calls = emulator.scheduleCalls;
    expect(calls.map((c) => c.schedules.length)).toEqual([15, 15, 15]);
    expect(new Set(calls.map((c) => c.anchor)).size).toBe(3);
    for (const call of calls) {
      expect(call.schedules).toContain(call.anchor);
      expect(call.body).toEqual({
        schedules: call.schedules,
        startTime: { dateTime: '2024-03-11T07:00:00', timeZone: 'UTC' },
        endTime: { dateTime: '2024-03-12T07:00:00', timeZone: 'UTC' },
        availabilityViewInterval: 30,
      });
    }
    expect(calls.flatMap((c) => c.schedules).sort()).toEqual([...mailboxes].sort());
    expect(result.mailboxes.map((m) => m.address)).toEqual(mailboxes);
    expect(result.mailboxes.every((m) => m.outcome === 'ok')).toBe(true);
    expect(result.stats).toEqual({ upstreamCalls: 3, cacheHits: 0 });
  });

  it('answers in query order, once per occurrence, asking Graph once per distinct mailbox', async () => {
    const { provider } = await start();
    const [ann, bob] = contosoMailboxes(emulator, 2);
    const query = [bob, 'USER00@Contoso.com', ann, 'ghost@contoso.com', bob];

    const result = await lookUp(provider, query);

    expect(emulator.scheduleCalls.map((c) => c.schedules)).toEqual([
      [bob, 'USER00@Contoso.com', 'ghost@contoso.com'],
    ]);
    expect(result.mailboxes.map((m) => [m.address, m.outcome])).toEqual([
      [bob, 'ok'],
      ['USER00@Contoso.com', 'ok'],
      [ann, 'ok'],
      ['ghost@contoso.com', 'failed'],
      [bob, 'ok'],
    ]);
    expect(result.mailboxes[3]).toMatchObject({ reason: 'recipientNotFound' });
    expect(okOf(result.mailboxes[2]).events).toEqual(okOf(result.mailboxes[1]).events);
    expect(result.mailboxes[4]).toEqual(result.mailboxes[0]);
  });

  it('keeps mailboxes outside ALLOWED_DOMAINS away from Graph, answering them not found', async () => {
    const { provider } = await start({ ALLOWED_DOMAINS: 'contoso.com' });
    const [ann] = contosoMailboxes(emulator, 1);
    emulator.calendar.set('eve@fabrikam.com');

    const result = await lookUp(provider, [
      'eve@fabrikam.com',
      ann,
      'mallory@contoso.com.evil.example',
    ]);

    expect(result.mailboxes.map((m) => [m.address, m.outcome === 'failed' && m.reason])).toEqual([
      ['eve@fabrikam.com', 'recipientNotFound'],
      [ann, false],
      ['mallory@contoso.com.evil.example', 'recipientNotFound'],
    ]);
    expect(emulator.scheduleCalls.map((c) => c.schedules)).toEqual([[ann]]);
  });

  it('costs no call and no token at all when every mailbox is outside ALLOWED_DOMAINS', async () => {
    const { provider } = await start({ ALLOWED_DOMAINS: 'contoso.com,contoso.de' });
    const result = await lookUp(provider, ['a@fabrikam.com', 'b@example.org']);
    expect(
      result.mailboxes.every((m) => m.outcome === 'failed' && m.reason === 'recipientNotFound'),
    ).toBe(true);
    expect(emulator.counters).toEqual({
      openidConfiguration: 0,
      tokensIssued: 0,
      tokensRefused: 0,
      getSchedule: 0,
      places: 0,
      applicationThrottled: 0,
    });
  });
});

describe('tokens', () => {
  it('fetches one token for many lookups, concurrent ones included', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 30);
    // Distinct windows so that nothing comes from the cache: 10 concurrent lookups of 2 chunks,
    // then 10 more one after another.
    const window = (i: number) => ({
      startMs: MONDAY.startMs + i * DAY_MS,
      endMs: MONDAY.endMs + i * DAY_MS,
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        provider.lookup(availabilityQuery(mailboxes, { window: window(i) })),
      ),
    );
    for (let i = 10; i < 20; i++)
      await provider.lookup(availabilityQuery(mailboxes, { window: window(i) }));

    expect(emulator.counters.getSchedule).toBe(40);
    expect(emulator.counters.tokensIssued).toBe(1);
    expect(emulator.counters.openidConfiguration).toBe(1);
    const bearer = new Set(emulator.scheduleCalls.map((c) => c.authorization));
    expect(bearer.size).toBe(1);
    expect([...bearer][0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('replaces a token shortly before it expires, without a failed lookup', async () => {
    emulator.tokenLifetimeSeconds = 3;
    try {
      const { provider } = await start();
      const [ann] = contosoMailboxes(emulator, 1);
      const lookupOn = (day: number) =>
        provider.lookup(
          availabilityQuery([ann], {
            window: { startMs: MONDAY.startMs + day * DAY_MS, endMs: MONDAY.endMs + day * DAY_MS },
          }),
        );
      expect(okOf((await lookupOn(0)).mailboxes[0])).toBeTruthy();
      expect(okOf((await lookupOn(1)).mailboxes[0])).toBeTruthy();
      expect(emulator.counters.tokensIssued).toBe(1);
      // Half-way through a short token's life it is renewed; it is never sent expired.
      await new Promise((r) => setTimeout(r, 1_700));
      // The renewal runs beside the lookups (how soon it lands depends on the machine's load):
      // every lookup until the new token is in use must succeed with a token still valid.
      const bearers = () => new Set(emulator.scheduleCalls.map((c) => c.authorization)).size;
      for (let day = 2; bearers() < 2 && day < 12; day += 1) {
        expect(okOf((await lookupOn(day)).mailboxes[0])).toBeTruthy();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(bearers()).toBe(2);
      expect(emulator.counters.tokensIssued).toBe(2);
    } finally {
      emulator.tokenLifetimeSeconds = 3599;
    }
  });
});

describe('cache and coalescing', () => {
  it('serves a repeat lookup from the cache without a Graph call', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 3);
    const first = await provider.lookup(availabilityQuery(mailboxes));
    const again = await provider.lookup(availabilityQuery([...mailboxes].reverse()));

    expect(emulator.counters.getSchedule).toBe(1);
    expect(again.stats).toEqual({ upstreamCalls: 0, cacheHits: 3 });
    expect(again.mailboxes).toEqual([...first.mailboxes].reverse());
  });

  it('asks Graph again for another window, interval or detail level', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 2);
    await provider.lookup(availabilityQuery(mailboxes));
    await provider.lookup(
      availabilityQuery(mailboxes, { window: { ...MONDAY, endMs: MONDAY.endMs + DAY_MS } }),
    );
    await provider.lookup(availabilityQuery(mailboxes, { intervalMinutes: 15 }));
    await provider.lookup(availabilityQuery(mailboxes, { wantDetails: true }));
    await provider.lookup(availabilityQuery(mailboxes, { wantDetails: true }));
    expect(emulator.counters.getSchedule).toBe(4);
  });

  it('forgets cached results after CACHE_TTL_SECONDS, and caches nothing with a TTL of 0', async () => {
    const cached = await start({ CACHE_TTL_SECONDS: '1' });
    const { provider } = cached;
    const mailboxes = contosoMailboxes(emulator, 2);
    await provider.lookup(availabilityQuery(mailboxes));
    await provider.lookup(availabilityQuery(mailboxes));
    expect(emulator.counters.getSchedule).toBe(1);
    await new Promise((r) => setTimeout(r, 1_050));
    await provider.lookup(availabilityQuery(mailboxes));
    expect(emulator.counters.getSchedule).toBe(2);

    await cached.close();
    const uncached = (await start({ CACHE_TTL_SECONDS: '0' })).provider;
    await uncached.lookup(availabilityQuery(mailboxes));
    await uncached.lookup(availabilityQuery(mailboxes));
    expect(emulator.counters.getSchedule).toBe(4);
  });

  it('coalesces 10 simultaneous identical lookups into one Graph call', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 3);
    emulator.scheduleLatencyMs = 200;

    const results = await Promise.all(
      Array.from({ length: 10 }, () => provider.lookup(availabilityQuery(mailboxes))),
    );

    expect(emulator.counters.getSchedule).toBe(1);
    for (const result of results) expect(result.mailboxes).toEqual(results[0].mailboxes);
    expect(results[0].mailboxes.every((m) => m.outcome === 'ok')).toBe(true);
    expect(results.map((r) => r.stats?.upstreamCalls).sort()).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
  });
});

describe('concurrency', () => {
  it("never has more calls in flight than Graph's 4 per app, whatever the anchors", async () => {
    const { provider } = await start();
    emulator.scheduleLatencyMs = 150;
    // 12 one-mailbox lookups of 12 different mailboxes: 12 calls through 12 anchors, all
    // wanted at once. Graph counts them against the app, not per mailbox.
    const results = await Promise.all(
      contosoMailboxes(emulator, 12).map((address) =>
        provider.lookup(availabilityQuery([address])),
      ),
    );

    expect(emulator.counters.getSchedule).toBe(12);
    expect(emulator.peakConcurrency()).toBe(4);
    expect(emulator.counters.applicationThrottled).toBe(0);
    expect(results.every((r) => r.mailboxes.every((m) => m.outcome === 'ok'))).toBe(true);
  });

  it('keeps to GRAPH_CONCURRENCY when it is set lower', async () => {
    const { provider } = await start({ GRAPH_CONCURRENCY: '2' });
    emulator.scheduleLatencyMs = 100;
    await Promise.all(
      contosoMailboxes(emulator, 6).map((address) => provider.lookup(availabilityQuery([address]))),
    );
    expect(emulator.counters.getSchedule).toBe(6);
    expect(emulator.peakConcurrency()).toBe(2);
  });

  it('runs the chunks of one lookup in parallel, up to the limit', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 100);
    emulator.scheduleLatencyMs = 400;
    const started = Date.now();
    await provider.lookup(availabilityQuery(mailboxes));
    expect(emulator.counters.getSchedule).toBe(5);
    expect(emulator.peakConcurrency()).toBe(4);
    // One after the other they would take 2 s; four at a time, two rounds.
    expect(Date.now() - started).toBeLessThan(1_600);
  });
});

describe('what Graph says, as the caller gets it', () => {
  beforeEach(() => {
    emulator.calendar
      .set('adele@contoso.com', {
        events: [
          {
            start: '2024-03-11T16:00:00Z',
            end: '2024-03-11T17:00:00Z',
            status: 'Busy',
            subject: 'Quarterly review',
            location: 'Building 4',
            isMeeting: true,
            isRecurring: true,
            isReminderSet: true,
          },
          { start: '2024-03-11T09:00:00Z', end: '2024-03-11T09:30:00.5Z', status: 'tentative' },
          {
            start: '2024-03-11T20:00:00Z',
            end: '2024-03-11T23:00:00Z',
            status: 'oof',
            subject: 'Dentist',
            isPrivate: true,
          },
          {
            start: '2024-03-11T23:00:00Z',
            end: '2024-03-12T01:00:00Z',
            status: 'WorkingElsewhere',
          },
          { start: '2024-03-12T05:00:00Z', end: '2024-03-12T06:00:00Z', status: 'unknown' },
          { start: '2024-03-12T06:00:00Z', end: '2024-03-12T06:30:00Z', status: 'free' },
        ],
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '08:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: {
            '@odata.type': '#microsoft.graph.customTimeZone',
            bias: 480,
            name: 'Customized Time Zone',
            standardOffset: {
              time: '02:00:00.0000000',
              dayOccurrence: 1,
              dayOfWeek: 'sunday',
              month: 11,
              year: 0,
            },
            daylightOffset: {
              daylightBias: -60,
              time: '02:00:00.0000000',
              dayOccurrence: 2,
              dayOfWeek: 'sunday',
              month: 3,
              year: 0,
            },
          },
        },
      })
      .set('berlin@contoso.com', {
        workingHours: {
          daysOfWeek: ['monday', 'friday'],
          startTime: '09:00:00.0000000',
          endTime: '18:00:00.0000000',
          timeZone: { name: 'Europe/Berlin' },
        },
      })
      .set('pacific@contoso.com', {})
      .set('nohours@contoso.com', { workingHours: null })
      .set('secret@contoso.com', {
        scheduleError: {
          message: 'Access is denied. Check credentials and try again.',
          responseCode: 'ErrorNoFreeBusyAccess',
        },
      });
  });

  it('maps statuses, seven-digit UTC times, details and private items', async () => {
    const { provider } = await start();
    const [adele] = (
      await provider.lookup(availabilityQuery(['adele@contoso.com'], { wantDetails: true }))
    ).mailboxes;
    const flags = {
      isMeeting: false,
      isRecurring: false,
      isException: false,
      isReminderSet: false,
    };
    expect(okOf(adele).events).toEqual([
      {
        startMs: Date.UTC(2024, 2, 11, 9),
        endMs: Date.UTC(2024, 2, 11, 9, 30, 0, 500),
        status: 'Tentative',
        details: { ...flags, isPrivate: false },
      },
      {
        startMs: Date.UTC(2024, 2, 11, 16),
        endMs: Date.UTC(2024, 2, 11, 17),
        status: 'Busy',
        details: {
          subject: 'Quarterly review',
          location: 'Building 4',
          isMeeting: true,
          isRecurring: true,
          isException: false,
          isReminderSet: true,
          isPrivate: false,
        },
      },
      {
        startMs: Date.UTC(2024, 2, 11, 20),
        endMs: Date.UTC(2024, 2, 11, 23),
        status: 'OOF',
        details: { ...flags, isPrivate: true },
      },
      {
        startMs: Date.UTC(2024, 2, 11, 23),
        endMs: Date.UTC(2024, 2, 12, 1),
        status: 'WorkingElsewhere',
        details: { ...flags, isPrivate: false },
      },
      {
        startMs: Date.UTC(2024, 2, 12, 5),
        endMs: Date.UTC(2024, 2, 12, 6),
        status: 'NoData',
        details: { ...flags, isPrivate: false },
      },
      {
        startMs: Date.UTC(2024, 2, 12, 6),
        endMs: Date.UTC(2024, 2, 12, 6, 30),
        status: 'Free',
        details: { ...flags, isPrivate: false },
      },
    ]);
  });

  it('keeps no subject in a free/busy-only answer', async () => {
    const { provider } = await start();
    const [adele] = (await provider.lookup(availabilityQuery(['adele@contoso.com']))).mailboxes;
    expect(okOf(adele).events.map((e) => e.details)).toEqual(Array(6).fill(undefined));
    expect(JSON.stringify(adele)).not.toMatch(/Quarterly|Building/);
  });

  it('maps working hours with a custom, an IANA and a Windows zone, and none', async () => {
    const { provider } = await start();
    const result = await provider.lookup(
      availabilityQuery([
        'adele@contoso.com',
        'berlin@contoso.com',
        'pacific@contoso.com',
        'nohours@contoso.com',
      ]),
    );
    const [adele, berlin, pacific, nohours] = result.mailboxes.map(okOf);
    expect(adele.workingHours).toEqual({
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: 480,
      endMinutes: 1020,
      zone: {
        kind: 'custom',
        name: 'Customized Time Zone',
        bias: 480,
        standard: { timeMinutes: 120, dayOrder: 1, month: 11, dayOfWeek: 'Sunday', bias: 0 },
        daylight: { timeMinutes: 120, dayOrder: 2, month: 3, dayOfWeek: 'Sunday', bias: -60 },
      },
    });
    expect(berlin.workingHours).toEqual({
      daysOfWeek: ['Monday', 'Friday'],
      startMinutes: 540,
      endMinutes: 1080,
      zone: { kind: 'named', name: 'Europe/Berlin' },
    });
    expect(pacific.workingHours?.zone).toEqual({ kind: 'named', name: 'Pacific Standard Time' });
    expect(nohours.workingHours).toBeUndefined();
  });

  it('reports per-schedule errors per mailbox: not found, no access', async () => {
    const { provider } = await start();
    const result = await provider.lookup(
      availabilityQuery(['pacific@contoso.com', 'nobody@contoso.com', 'secret@contoso.com']),
    );
    expect(result.mailboxes.map((m) => (m.outcome === 'ok' ? 'ok' : m.reason))).toEqual([
      'ok',
      'recipientNotFound',
      'accessDenied',
    ]);
  });

  it('re-anchors a chunk whose first mailbox Graph refuses as a user, answering the rest', async () => {
    const { provider } = await start();
    const result = await provider.lookup(
      availabilityQuery([
        'nobody@contoso.com',
        'ghost@contoso.com',
        'pacific@contoso.com',
        'berlin@contoso.com',
      ]),
    );
    expect(emulator.scheduleCalls.map((c) => c.anchor)).toEqual([
      'nobody@contoso.com',
      'ghost@contoso.com',
      'pacific@contoso.com',
    ]);
    expect(result.mailboxes.map((m) => (m.outcome === 'ok' ? 'ok' : m.reason))).toEqual([
      'recipientNotFound',
      'recipientNotFound',
      'ok',
      'ok',
    ]);
  });

  it('answers a lone unknown mailbox not found when Graph refuses it as anchor', async () => {
    const { provider } = await start();
    const [nobody] = (await provider.lookup(availabilityQuery(['nobody@contoso.com']))).mailboxes;
    expect(nobody).toMatchObject({ outcome: 'failed', reason: 'recipientNotFound' });
    expect(emulator.counters.getSchedule).toBe(1);
  });
});

describe('the network', () => {
  // Jest runs several test files in one worker process, and the guard sees the whole process:
  // connections made before this test may be another file's late work (to its own emulator).
  // Those can only be to this machine, which the guard enforces for every connection; the
  // connections this test's fresh provider opens must all be to this file's emulator.
  it('contacted nothing but the configured emulator: no instance discovery, no Graph host', async () => {
    const before = outbound.connections.length;
    const { provider } = await start();
    await provider.checkReadiness();
    await provider.lookup(availabilityQuery(contosoMailboxes(emulator, 25)));

    const port = Number(new URL(emulator.origin).port);
    const opened = outbound.connections.slice(before);
    // A token call and getSchedule calls: at least two connections, all to the emulator.
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(opened.filter((c) => c.host !== '127.0.0.1' || c.port !== port)).toEqual([]);
    expect(outbound.connections.filter((c) => !/^(127\.|::1$)/.test(c.host))).toEqual([]);
    expect(emulator.unknownRequests).toEqual([]);
  });

  it('(the guard itself) sees and refuses a connection to any other host', async () => {
    const before = outbound.connections.length;
    const error = await new Promise<Error>((resolve) => {
      // TEST-NET-1 (RFC 5737): refused by the guard before any packet leaves.
      connect({ host: '192.0.2.1', port: 443 }).on('error', resolve);
    });
    expect(error.message).toMatch(/test guard/);
    expect(outbound.connections.slice(before)).toEqual([{ host: '192.0.2.1', port: 443 }]);
  });
});
