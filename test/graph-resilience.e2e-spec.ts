import {
  UpstreamMisconfiguredError,
  UpstreamThrottledError,
  UpstreamUnavailableError,
  type AvailabilityResult,
} from '@app/availability';
import type { GraphEmulator } from './graph-emulator/graph-emulator';
import {
  availabilityQuery,
  contosoMailboxes,
  graphProviderSuite,
} from './graph-emulator/graph-provider-harness';

/**
 * How the real GraphAvailabilityProvider behaves when Graph or Entra misbehave, driven through
 * the emulator's fault injection: what the caller sees, how long it waits, how many calls Graph
 * gets. Run through with-test-ca.sh (see its header).
 */

const suite = graphProviderSuite();
const outbound = suite.outbound;
let emulator: GraphEmulator;
beforeAll(() => {
  emulator = suite.emulator();
});

const start = suite.start;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  const value = await work();
  return { value, elapsedMs: Date.now() - started };
}

const reasons = (result: AvailabilityResult) =>
  result.mailboxes.map((m) => (m.outcome === 'ok' ? 'ok' : m.reason));

describe('throttling and transient failures', () => {
  it('hides a 429 from the caller: waits the Retry-After, then answers everything', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 5);
    emulator.faults.add('getSchedule', { kind: 'status', status: 429, retryAfter: '1' });

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    expect(reasons(value)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(emulator.counters.getSchedule).toBe(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(elapsedMs).toBeLessThan(2_500);
    expect(value.stats?.upstreamCalls).toBe(2);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 1);
    // HTTP dates have whole seconds: 2 s ahead is 1..2 s from now.
    emulator.faults.add('getSchedule', {
      kind: 'status',
      status: 503,
      retryAfter: new Date(Date.now() + 2_000).toUTCString(),
    });
    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));
    expect(reasons(value)).toEqual(['ok']);
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
  });

  it('gives up at once with a back-off when Graph asks to wait past the deadline', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '3000' });
    const mailboxes = contosoMailboxes(emulator, 3);
    emulator.faults.add(
      'getSchedule',
      { kind: 'status', status: 429, retryAfter: '30' },
      { times: Infinity },
    );

    const started = Date.now();
    const error = await provider.lookup(availabilityQuery(mailboxes)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamThrottledError);
    expect((error as UpstreamThrottledError).backOffMs).toBe(30_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(emulator.counters.getSchedule).toBe(1);
  });

  it('retries 5xx, unreadable answers and dropped connections, invisibly when one succeeds', async () => {
    const { provider } = await start();
    const mailboxes = contosoMailboxes(emulator, 2);
    emulator.faults.add('getSchedule', { kind: 'status', status: 502 });
    emulator.faults.add('getSchedule', { kind: 'malformedJson' });
    emulator.faults.add('getSchedule', { kind: 'reset' });

    const result = await provider.lookup(availabilityQuery(mailboxes));

    expect(reasons(result)).toEqual(['ok', 'ok']);
    expect(emulator.counters.getSchedule).toBe(4);
  });

  it('waits for a slow answer that still arrives in time, without a second call', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '2000' });
    const mailboxes = contosoMailboxes(emulator, 2);
    emulator.faults.add('getSchedule', { kind: 'slow', ms: 800 });

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    expect(reasons(value)).toEqual(['ok', 'ok']);
    expect(emulator.counters.getSchedule).toBe(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(800);
  });

  it('retries a call that hangs, within the deadline, in halves', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '2000' });
    const mailboxes = contosoMailboxes(emulator, 2);
    emulator.faults.add('getSchedule', { kind: 'hang' });

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    expect(reasons(value)).toEqual(['ok', 'ok']);
    // The hung call, then one call per half (a slow mailbox would be in one of them).
    expect(emulator.scheduleCalls.map((c) => c.schedules)).toEqual([
      mailboxes,
      [mailboxes[0]],
      [mailboxes[1]],
    ]);
    // The first attempt was given up after half the deadline.
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});

describe('a Graph that keeps failing', () => {
  it('answers every mailbox with a failure within the deadline, after a bounded number of calls', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '1500' });
    const mailboxes = contosoMailboxes(emulator, 3);
    emulator.faults.add('getSchedule', { kind: 'status', status: 500 }, { times: Infinity });

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    expect(value.mailboxes).toHaveLength(3);
    for (const mailbox of value.mailboxes) {
      expect(mailbox).toMatchObject({
        outcome: 'failed',
        reason: expect.stringMatching(/^(generationFailed|timeout)$/),
      });
    }
    expect(elapsedMs).toBeLessThan(1_700);
    expect(emulator.counters.getSchedule).toBeGreaterThanOrEqual(2);
    expect(emulator.counters.getSchedule).toBeLessThanOrEqual(4);
  });

  it('times out a Graph that never answers exactly at the deadline', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '1000' });
    const mailboxes = contosoMailboxes(emulator, 2);
    emulator.faults.add('getSchedule', { kind: 'hang' }, { times: Infinity });

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    expect(reasons(value)).toEqual(['timeout', 'timeout']);
    expect(value.mailboxes[0]).toMatchObject({
      detail: 'Microsoft Graph did not answer within the deadline of 1000 ms',
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(elapsedMs).toBeLessThan(1_400);
  });

  it('returns the chunks that finished and times out only the mailbox that never answers', async () => {
    // Four halvings (15 -> 8 -> 4 -> 2 -> 1) share the second half of the deadline.
    const { provider } = await start({ GRAPH_DEADLINE_MS: '4000' });
    const mailboxes = contosoMailboxes(emulator, 45);
    // Any call holding user17 (in the second of the three chunks) never gets an answer, as a
    // hybrid mailbox whose free/busy Graph cannot get: its chunk is narrowed down around it.
    emulator.faults.add(
      'getSchedule',
      { kind: 'hang' },
      { times: Infinity, match: (r) => r.schedules?.includes(mailboxes[17]) === true },
    );

    const { value, elapsedMs } = await timed(() => provider.lookup(availabilityQuery(mailboxes)));

    const expected = mailboxes.map((_, i) => (i === 17 ? 'timeout' : 'ok'));
    expect(reasons(value)).toEqual(expected);
    expect(elapsedMs).toBeLessThan(4_400);
  });

  it('opens the circuit: later lookups fail fast without calling Graph', async () => {
    const { provider } = await start({ GRAPH_DEADLINE_MS: '2000' });
    const mailboxes = contosoMailboxes(emulator, 45);
    emulator.faults.add('getSchedule', { kind: 'status', status: 503 }, { times: Infinity });

    const first = await provider.lookup(availabilityQuery(mailboxes));
    expect(first.mailboxes.every((m) => m.outcome === 'failed')).toBe(true);
    const callsSoFar = emulator.counters.getSchedule;

    const { value: error, elapsedMs } = await timed(() =>
      provider.lookup(availabilityQuery(mailboxes.slice(0, 2))).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(elapsedMs).toBeLessThan(100);
    expect(emulator.counters.getSchedule).toBe(callsSoFar);
  });
});

describe('Graph or Entra refusing the relay itself', () => {
  it.each([
    // A 401 is tried once more with a fresh token (the first may have been revoked).
    [401, 'InvalidAuthenticationToken', 2],
    [403, 'ErrorAccessDenied', 1],
  ])(
    'turns a Graph %i into UpstreamMisconfiguredError, logged loudly without secrets',
    async (status, code, calls) => {
      const { provider, logs } = await start();
      const mailboxes = contosoMailboxes(emulator, 3);
      emulator.faults.add('getSchedule', { kind: 'status', status }, { times: Infinity });

      const error = await provider.lookup(availabilityQuery(mailboxes)).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UpstreamMisconfiguredError);
      expect(emulator.counters.getSchedule).toBe(calls);
      expect(emulator.counters.tokensIssued).toBe(calls);
      const errors = logs.entries.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].line).toContain(`${status} ${code}`);
      expect(errors[0].line).toContain('Calendars.ReadBasic.All');
      const token = emulator.scheduleCalls[0].authorization!.replace('Bearer ', '');
      for (const line of logs.entries) {
        expect(line.line).not.toContain(emulator.clientSecret);
        expect(line.line).not.toContain(token);
      }
    },
  );

  it('turns a refused client secret into UpstreamMisconfiguredError, without calling Graph', async () => {
    const { provider, logs } = await start({ GRAPH_CLIENT_SECRET: 'not-the-secret' });
    const mailboxes = contosoMailboxes(emulator, 2);

    const error = await provider.lookup(availabilityQuery(mailboxes)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamMisconfiguredError);
    expect((error as Error).message).toContain('invalid_client');
    expect(emulator.counters).toMatchObject({ tokensIssued: 0, tokensRefused: 1, getSchedule: 0 });
    expect(logs.entries.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain('not-the-secret');
  });

  it('treats an authority without a tenant as misconfiguration, contacting no one', async () => {
    const { provider } = await start({ GRAPH_AUTHORITY: emulator.origin });
    const mailboxes = contosoMailboxes(emulator, 1);
    await expect(provider.lookup(availabilityQuery(mailboxes))).rejects.toThrow(
      /must name the tenant/,
    );
    expect(await provider.checkReadiness()).toEqual({
      ready: false,
      detail: expect.stringContaining('GRAPH_AUTHORITY must name the tenant'),
    });
    expect(emulator.counters).toMatchObject({
      openidConfiguration: 0,
      tokensIssued: 0,
      getSchedule: 0,
    });
  });

  it('rebuilds the credential when the secret rotates, as Vault updates the configuration', async () => {
    const { provider, store, configWith } = await start();
    const mailboxes = contosoMailboxes(emulator, 2);
    expect(reasons(await provider.lookup(availabilityQuery(mailboxes)))).toEqual(['ok', 'ok']);

    // The operator rotates the secret in Entra (old tokens die with it)...
    const oldSecret = emulator.clientSecret;
    emulator.clientSecret = 'rotated~secret.fedcba9876543210';
    emulator.revokeTokens();
    try {
      const query = availabilityQuery(mailboxes, { intervalMinutes: 15 });
      await expect(provider.lookup(query)).rejects.toBeInstanceOf(UpstreamMisconfiguredError);
      // ...and in Vault: the relay picks it up without a restart.
      store.update(configWith({ GRAPH_CLIENT_SECRET: 'rotated~secret.fedcba9876543210' }));
      expect(reasons(await provider.lookup(query))).toEqual(['ok', 'ok']);
      expect(emulator.counters.tokensIssued).toBe(2);
    } finally {
      emulator.clientSecret = oldSecret;
    }
  });
});

describe('readiness', () => {
  it('is ready when a token can be had, fetching it once', async () => {
    const { provider } = await start();
    expect(await provider.checkReadiness()).toEqual({ ready: true });
    expect(await provider.checkReadiness()).toEqual({ ready: true });
    expect(emulator.counters.tokensIssued).toBe(1);
  });

  it('is not ready with refused credentials, saying why without the secret, and spares Entra', async () => {
    const { provider } = await start({ GRAPH_CLIENT_SECRET: 'not-the-secret' });
    const reports = [];
    for (let i = 0; i < 5; i++) reports.push(await provider.checkReadiness());
    expect(reports[0]).toEqual({ ready: false, detail: expect.stringContaining('invalid_client') });
    expect(JSON.stringify(reports)).not.toContain('not-the-secret');
    expect(emulator.counters.tokensRefused).toBe(1);
  });

  it('is not ready for a tenant Entra does not know, pointing at GRAPH_AUTHORITY', async () => {
    const { provider } = await start({ GRAPH_AUTHORITY: `${emulator.origin}/no-such-tenant` });
    expect(await provider.checkReadiness()).toEqual({
      ready: false,
      detail: expect.stringContaining('GRAPH_AUTHORITY'),
    });
  });

  it('stays ready through transient Entra failures once it has had a token, saying so', async () => {
    const { provider, store, configWith } = await start();
    expect(await provider.checkReadiness()).toEqual({ ready: true });
    // A rotation makes the next check fetch a token, which Entra answers with a hiccup.
    emulator.faults.add(
      'token',
      {
        kind: 'status',
        status: 503,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
        },
      },
      { times: Infinity },
    );
    const oldSecret = emulator.clientSecret;
    try {
      emulator.clientSecret = 'rotated~secret.fedcba9876543210';
      store.update(configWith({ GRAPH_CLIENT_SECRET: emulator.clientSecret }));
      expect(await provider.checkReadiness()).toEqual({
        ready: true,
        detail: expect.stringContaining('temporarily_unavailable'),
      });
    } finally {
      emulator.clientSecret = oldSecret;
    }
  });

  it('is not ready on a transient Entra failure when it never had a token', async () => {
    const { provider } = await start();
    emulator.faults.add(
      'token',
      { kind: 'status', status: 503, body: { error: 'temporarily_unavailable' } },
      { times: Infinity },
    );
    expect(await provider.checkReadiness()).toEqual({
      ready: false,
      detail: expect.stringContaining('temporarily_unavailable'),
    });
  });

  it('is not ready, promptly, when Entra does not answer', async () => {
    const { provider } = await start();
    emulator.faults.add('openidConfiguration', { kind: 'hang' }, { times: Infinity });
    const { value, elapsedMs } = await timed(() => provider.checkReadiness());
    expect(value).toEqual({ ready: false, detail: 'Entra did not answer in time' });
    expect(elapsedMs).toBeLessThan(3_500);
  });
});

describe('the network', () => {
  it('contacted nothing but the emulator in all of the above', () => {
    const port = Number(new URL(emulator.origin).port);
    expect(outbound.connections.length).toBeGreaterThan(0);
    expect(outbound.connections.filter((c) => c.host !== '127.0.0.1' || c.port !== port)).toEqual(
      [],
    );
  });
});
