import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest } from './support/ews-request-bodies';
import { bearerTokenFor, startRelay } from './support/relay-app';
import { faultOf, mailboxesOf } from './support/soap';

/**
 * EWS in, Graph out: the whole relay (app.inject with a real token) answering from the local
 * HTTPS Entra/Graph emulator through the real @azure/identity and Graph SDK. Graph's behaviour
 * (throttling, outages, a broken app registration, big lookups) as the EWS caller sees it.
 */
describe('EWS GetUserAvailability answered from Microsoft Graph', () => {
  let emulator: GraphEmulator;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.calendar.clear();
    emulator.faults.clear();
    emulator.resetRecords();
  });

  async function relay(env: Record<string, string> = {}) {
    const app = await startRelay({ ...emulator.relayEnv(), CACHE_TTL_SECONDS: '0', ...env });
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

  const busyHour = { start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'Busy' };

  describe('with one relay', () => {
    let app: NestFastifyApplication;
    let ask: (body: string) => ReturnType<NestFastifyApplication['inject']>;

    beforeAll(async () => {
      ({ app, ask } = await relay({ ALLOWED_DOMAINS: 'contoso.com', GRAPH_DEADLINE_MS: '3000' }));
    });
    afterAll(async () => {
      await app.close();
    });

    it('answers 45 mailboxes in request order from 3 getSchedule calls of at most 20', async () => {
      const addresses = Array.from({ length: 45 }, (_, i) => `user${i}@contoso.com`);
      addresses.forEach((a, i) =>
        emulator.calendar.set(a, {
          events: [
            {
              start: `2024-03-11T${String(i % 24).padStart(2, '0')}:00:00Z`,
              end: `2024-03-11T${String(i % 24).padStart(2, '0')}:30:00Z`,
              status: 'busy',
            },
          ],
        }),
      );
      const res = await ask(availabilityRequest(addresses));
      expect(res.statusCode).toBe(200);
      const mailboxes = await mailboxesOf(res.body);
      expect(mailboxes.map((m) => m.events[0]?.start)).toEqual(
        addresses.map((_, i) => `2024-03-11T${String(i % 24).padStart(2, '0')}:00:00`),
      );
      expect(emulator.scheduleCalls.map((c) => c.schedules.length)).toEqual([15, 15, 15]);
      expect(emulator.counters.tokensIssued).toBeLessThanOrEqual(1);
    });

    it('hides a 429 with Retry-After from the EWS caller', async () => {
      emulator.calendar.set('adele@contoso.com', { events: [busyHour] });
      emulator.faults.add('getSchedule', { kind: 'status', status: 429, retryAfter: '1' });
      const started = Date.now();
      const res = await ask(availabilityRequest(['adele@contoso.com']));
      expect(res.statusCode).toBe(200);
      const [adele] = await mailboxesOf(res.body);
      expect(adele.responseCode).toBe('NoError');
      expect(adele.events).toEqual([
        expect.objectContaining({ start: '2024-03-11T17:00:00', busyType: 'Busy' }),
      ]);
      expect(emulator.counters.getSchedule).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it('keeps the answered mailboxes when Graph reports per-schedule errors for others', async () => {
      emulator.calendar.set('adele@contoso.com', { events: [busyHour] });
      emulator.calendar.set('locked@contoso.com', {
        scheduleError: {
          message: 'Your request cannot be processed because access is denied.',
          responseCode: 'ErrorAccessDenied',
        },
      });
      const res = await ask(
        availabilityRequest(['adele@contoso.com', 'ghost@contoso.com', 'locked@contoso.com']),
      );
      const [adele, ghost, locked] = await mailboxesOf(res.body);
      expect(adele.responseCode).toBe('NoError');
      expect(ghost.responseCode).toBe('ErrorMailRecipientNotFound');
      expect(ghost.messageText).toBe(
        'Unable to resolve e-mail address ghost@contoso.com to an Active Directory object.',
      );
      expect(locked.responseCode).toBe('ErrorNoFreeBusyAccess');
    });

    it('never sends a mailbox outside ALLOWED_DOMAINS to Graph', async () => {
      emulator.calendar.set('adele@contoso.com', { events: [busyHour] });
      const res = await ask(availabilityRequest(['boss@fabrikam.com', 'adele@contoso.com']));
      const [boss, adele] = await mailboxesOf(res.body);
      expect(boss.responseCode).toBe('ErrorMailRecipientNotFound');
      expect(adele.responseCode).toBe('NoError');
      expect(emulator.scheduleCalls.flatMap((c) => c.schedules)).toEqual(['adele@contoso.com']);
    });
  });

  // Each failing-Graph case gets its own relay: the circuit breaker they trip is per process.
  it('turns a Graph that keeps failing into per-mailbox errors before the deadline', async () => {
    const { app, ask } = await relay({ GRAPH_DEADLINE_MS: '3000' });
    try {
      emulator.faults.add('getSchedule', { kind: 'status', status: 500 }, { times: Infinity });
      const started = Date.now();
      const res = await ask(availabilityRequest(['adele@contoso.com', 'megan@contoso.com']));
      const elapsed = Date.now() - started;
      expect(res.statusCode).toBe(200);
      const mailboxes = await mailboxesOf(res.body);
      expect(mailboxes).toHaveLength(2);
      for (const mailbox of mailboxes) {
        expect(mailbox).toMatchObject({ responseClass: 'Error', viewType: 'None' });
        expect(mailbox.responseCode).toMatch(
          /^(ErrorFreeBusyGenerationFailed|ErrorProxyRequestProcessingFailed)$/,
        );
      }
      // GRAPH_DEADLINE_MS is 3 s; the answer is not held beyond it (plus CI headroom).
      expect(elapsed).toBeLessThan(3000 + 1500);
      expect(emulator.counters.getSchedule).toBeLessThanOrEqual(4);
    } finally {
      await app.close();
    }
  });

  it('asks the client to back off (ErrorServerBusy) when Graph throttles past the deadline', async () => {
    const { app, ask } = await relay({ GRAPH_DEADLINE_MS: '1500' });
    try {
      emulator.faults.add(
        'getSchedule',
        { kind: 'status', status: 429, retryAfter: '30' },
        { times: Infinity },
      );
      const res = await ask(availabilityRequest(['adele@contoso.com']));
      expect(res.statusCode).toBe(500);
      const fault = await faultOf(res.body);
      expect(fault.responseCode).toBe('ErrorServerBusy');
      const backOff = /<t:Value Name="BackOffMilliseconds">(\d+)<\/t:Value>/.exec(res.body);
      expect(Number(backOff?.[1])).toBeGreaterThanOrEqual(25_000);
      // Retry-After of 30 s is past the deadline: one call, no hammering.
      expect(emulator.counters.getSchedule).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('answers a request-level server fault, not "not found", when Graph refuses our app', async () => {
    const { app, ask } = await relay();
    try {
      emulator.faults.add('getSchedule', { kind: 'status', status: 403 }, { times: Infinity });
      const res = await ask(availabilityRequest(['adele@contoso.com']));
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      const fault = await faultOf(res.body);
      expect(fault.responseCode).toBe('ErrorInternalServerError');
      expect(res.body).not.toContain('ErrorMailRecipientNotFound');
    } finally {
      await app.close();
    }
  });

  it('serves a repeat lookup from the cache without another Graph call', async () => {
    const { app, ask } = await relay({ CACHE_TTL_SECONDS: '60' });
    try {
      emulator.calendar.set('adele@contoso.com', { events: [busyHour] });
      const first = await ask(availabilityRequest(['adele@contoso.com']));
      const second = await ask(availabilityRequest(['adele@contoso.com']));
      expect(second.body).toBe(first.body);
      expect(emulator.counters.getSchedule).toBe(1);
    } finally {
      await app.close();
    }
  });
});
