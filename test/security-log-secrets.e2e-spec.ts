import { randomBytes } from 'node:crypto';
import { availabilityRequest } from './support/ews-request-bodies';
import {
  freePort,
  removeRelayProcessFiles,
  spawnRelaySource,
  within,
  type RelayProcess,
} from './support/relay-process';
import { basicAuthorization, TEST_CLIENT_ID } from './support/relay-app';
import { fixture, mailboxesOf } from './support/soap';

/**
 * What an operator's log store receives: the real main.ts in its own process, production JSON
 * logging at the most verbose level, through token issue, failed logins, lockouts, forged
 * tokens and detailed lookups. The secrets, tokens and event subjects involved must appear in
 * none of it.
 */

const CLIENT_SECRET = `client-secret-${randomBytes(12).toString('hex')}`;
const PREVIOUS_SECRET = `previous-secret-${randomBytes(12).toString('hex')}`;
const SIGNING_KEY = `signing-key-${randomBytes(24).toString('hex')}`;
const WRONG_GUESS = `guess-${randomBytes(12).toString('hex')}`;

describe('logs never contain a secret, a token or an event subject', () => {
  let relay: RelayProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    relay = spawnRelaySource({
      GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_CLIENT_SECRET_PREVIOUS: PREVIOUS_SECRET,
      TOKEN_SIGNING_KEY: SIGNING_KEY,
      TOKEN_MAX_FAILURES_PER_ADDRESS: '3',
      EVENT_DETAILS: 'true',
      LOG_LEVEL: 'trace',
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    base = `http://127.0.0.1:${port}`;
    await within(
      (async () => {
        for (;;) {
          const ready = await fetch(`${base}/health/live`).catch(() => undefined);
          if (ready?.status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })(),
      45_000,
      'the relay to start',
    );
  }, 60_000);
  afterAll(async () => {
    relay.child.kill('SIGTERM');
    await within(relay.exited, 15_000, 'the relay to exit').catch(() =>
      relay.child.kill('SIGKILL'),
    );
    removeRelayProcessFiles();
  });

  const token = (form: Record<string, string>, headers: Record<string, string> = {}, query = '') =>
    fetch(`${base}/token${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });

  it('through issue, failures, lockout, forged tokens and detailed lookups', async () => {
    const issued = await token({ client_id: TEST_CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(issued.status).toBe(200);
    const accessToken = ((await issued.json()) as { access_token: string }).access_token;
    const viaPrevious = await token({ client_id: TEST_CLIENT_ID, client_secret: PREVIOUS_SECRET });
    expect(viaPrevious.status).toBe(200);

    // Failed logins: a wrong secret in the body, in Basic, and (against RFC 6749 2.3.1) in the
    // query string, until the lockout answers 429.
    expect((await token({ client_id: TEST_CLIENT_ID, client_secret: WRONG_GUESS })).status).toBe(
      401,
    );
    const basic = basicAuthorization(TEST_CLIENT_ID, WRONG_GUESS);
    expect((await token({}, { authorization: basic })).status).toBe(401);
    const inQuery = await token(
      {},
      {},
      `?client_id=${TEST_CLIENT_ID}&client_secret=${encodeURIComponent(WRONG_GUESS)}`,
    );
    expect([400, 401, 429]).toContain(inQuery.status);
    expect(
      (await token({ client_id: TEST_CLIENT_ID, client_secret: `${WRONG_GUESS}2` })).status,
    ).toBe(401);
    expect((await token({ client_id: TEST_CLIENT_ID, client_secret: CLIENT_SECRET })).status).toBe(
      429,
    );

    // Lookups with details on: the subjects reach the client (so they were in the process)...
    const ews = (authorization: string, body: string) =>
      fetch(`${base}/EWS/Exchange.asmx`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'text/xml; charset=utf-8' },
        body,
      });
    const detailed = await ews(`Bearer ${accessToken}`, fixture('google-interop.xml'));
    expect(detailed.status).toBe(200);
    const subjects = (await mailboxesOf(await detailed.text()))
      .flatMap((m) => m.events.map((e) => e.subject))
      .filter((s): s is string => s !== undefined);
    expect(subjects.length).toBeGreaterThan(3);
    const asked = await ews(
      `Bearer ${accessToken}`,
      availabilityRequest(
        ['megan.bowen@contoso.com', 'not-an-address'],
        undefined,
        undefined,
        'Detailed',
      ),
    );
    expect(asked.status).toBe(200);
    subjects.push(
      ...(await mailboxesOf(await asked.text()))
        .flatMap((m) => m.events.map((e) => e.subject))
        .filter((s): s is string => s !== undefined),
    );
    // ...a broken request and forged or tampered tokens.
    expect((await ews(`Bearer ${accessToken}`, '<oops')).status).toBe(500);
    const tampered = `${accessToken.slice(0, -4)}AAAA`;
    expect((await ews(`Bearer ${tampered}`, fixture('google-interop.xml'))).status).toBe(401);
    expect(
      (await ews(`Basic ${Buffer.from(`x:${CLIENT_SECRET}`).toString('base64')}`, '')).status,
    ).toBe(401);

    // Give pino a moment to flush, then read everything the process wrote.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logs = relay.stdout() + relay.stderr();
    const lines = logs.split('\n').filter((l) => l.trim() !== '');
    // The lines are there (the test would prove nothing against an empty log).
    expect(lines.length).toBeGreaterThan(15);
    expect(logs).toContain('token issued');
    expect(logs).toContain('token lockout started');
    expect(logs).toContain('availability lookup');

    const [, payload, signature] = accessToken.split('.');
    const forbidden: Record<string, string> = {
      'client secret': CLIENT_SECRET,
      'previous client secret': PREVIOUS_SECRET,
      'signing key': SIGNING_KEY,
      'a guessed secret': WRONG_GUESS,
      'the Basic credentials': basic.slice('Basic '.length),
      'the access token': accessToken,
      "the token's payload": payload,
      "the token's signature": signature,
      'the tampered token': tampered,
      ...Object.fromEntries(subjects.map((s) => [`event subject "${s}"`, s])),
    };
    const leaks = Object.entries(forbidden)
      .filter(([, value]) => logs.includes(value))
      .map(([what]) => what);
    expect(leaks).toEqual([]);
  }, 90_000);
});
