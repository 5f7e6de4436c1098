import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { base64url, decodeJwt, SignJWT } from 'jose';
import { CLOCK_TOLERANCE_SECONDS, deriveTokenKey } from '@app/auth';
import { availabilityRequest, GET_SERVER_TIME_ZONES } from './support/ews-request-bodies';
import {
  baseUrlOf,
  bearerTokenFor,
  CollectedLogs,
  startRelay,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from './support/relay-app';

/**
 * The bearer guard in front of the EWS endpoint, end to end: what a client holding a good, a
 * stale or a forged token gets back.
 */

const INVALID_TOKEN = 'Bearer realm="calendar-relay", error="invalid_token"';
/** The key the relay derives from TEST_CLIENT_SECRET: what a forger with the secret could use. */
const RELAY_KEY = deriveTokenKey(TEST_CLIENT_SECRET);

function claims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'calendar-relay',
    aud: 'calendar-relay:ews',
    sub: TEST_CLIENT_ID,
    iat: now,
    exp: now + 600,
    jti: 'forged',
    ...over,
  };
}

function sign(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' },
  key: Uint8Array = RELAY_KEY,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
}

describe('bearer guard on the EWS endpoint', () => {
  const logs = new CollectedLogs();
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({}, { logger: logs });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (authorization: string | undefined, url = '/EWS/Exchange.asmx') =>
    app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        ...(authorization === undefined ? {} : { authorization }),
      },
      payload: GET_SERVER_TIME_ZONES,
    });

  it.each(['/', '/EWS/Exchange.asmx', '/ews/exchange.asmx', '/Ews/Exchange.ASMX'])(
    'lets a token from /token through to %s',
    async (url) => {
      const res = await post(`Bearer ${token}`, url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      expect(res.headers['www-authenticate']).toBeUndefined();
    },
  );

  it('accepts the scheme name in any letter case (RFC 7235 2.1)', async () => {
    expect((await post(`bearer ${token}`)).statusCode).toBe(200);
  });

  it('tells the audit log which client and token made the lookup', async () => {
    logs.clear();
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml' },
      payload: availabilityRequest(['adele.vance@contoso.com']),
    });
    expect(res.statusCode).toBe(200);
    const lookup = logs.entries.find((e) => e.line.includes('availability lookup'));
    expect(lookup).toBeDefined();
    expect(JSON.parse(lookup!.line)).toMatchObject({ caller: TEST_CLIENT_ID });
  });

  it('answers a request without a token with the bare Bearer challenge (RFC 6750 3.1)', async () => {
    const res = await post(undefined);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="calendar-relay"');
  });

  const forgeries: Array<[string, () => string | Promise<string>]> = [
    ['a malformed header', () => 'Bearer not-a-jwt'],
    [
      'another scheme',
      () => `Basic ${Buffer.from(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`).toString('base64')}`,
    ],
    ['an empty Bearer', () => 'Bearer '],
    [
      'an expired token',
      async () => `Bearer ${await sign(claims({ iat: 1_700_000_000, exp: 1_700_003_600 }))}`,
    ],
    [
      'a tampered token (payload changed, signature kept)',
      () => {
        const [header, , signature] = token.split('.');
        const changed = { ...decodeJwt(token), exp: Math.floor(Date.now() / 1000) + 86400 * 365 };
        return `Bearer ${header}.${base64url.encode(JSON.stringify(changed))}.${signature}`;
      },
    ],
    [
      'a token signed with another key',
      async () => `Bearer ${await sign(claims(), undefined, deriveTokenKey('guessed'))}`,
    ],
    [
      'an unsigned token (alg none)',
      () => {
        const part = (v: object) => base64url.encode(JSON.stringify(v));
        return `Bearer ${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims())}.`;
      },
    ],
    [
      'an HS512 token',
      async () =>
        `Bearer ${await sign(claims(), { alg: 'HS512', typ: 'at+jwt' }, new Uint8Array(64))}`,
    ],
    [
      'a token for another audience',
      async () => `Bearer ${await sign(claims({ aud: 'https://graph.microsoft.com' }))}`,
    ],
    [
      'a token from another issuer',
      async () =>
        `Bearer ${await sign(claims({ iss: 'https://login.microsoftonline.com/x/v2.0' }))}`,
    ],
    [
      'a token for another client',
      async () => `Bearer ${await sign(claims({ sub: 'someone-else' }))}`,
    ],
    [
      'an unsigned token (alg none) with a signature part',
      () => {
        const part = (v: object) => base64url.encode(JSON.stringify(v));
        return `Bearer ${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims())}.${part({ s: 1 })}`;
      },
    ],
    ...['HS512', 'RS256', 'none', 'NONE'].map((alg): [string, () => string] => [
      `a genuine token whose header was switched to ${alg}`,
      () => {
        const [, payload, signature] = token.split('.');
        const header = base64url.encode(JSON.stringify({ alg, typ: 'at+jwt' }));
        return `Bearer ${header}.${payload}.${signature}`;
      },
    ]),
  ];

  it.each(forgeries)('refuses %s with 401 invalid_token', async (_name, make) => {
    const res = await post(await make());
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
  });

  it('gives every refusal the same body, which says nothing of the check that failed', async () => {
    const bodies = new Set<string>();
    for (const [, make] of forgeries) bodies.add((await post(await make())).body);
    bodies.add((await post(undefined)).body);
    expect(bodies.size).toBe(1);
    const [body] = bodies;
    expect(body).not.toMatch(/expire|signature|audience|issuer|alg|secret|key/i);
  });

  it("refuses a captured token replayed after it expired (its lifetime and the replicas' clock tolerance)", async () => {
    // The same log collector: Nest's logger is process-wide, the next test reads it.
    const shortLived = await startRelay({ TOKEN_LIFETIME_SECONDS: '60' }, { logger: logs });
    try {
      const captured = await bearerTokenFor(shortLived);
      const lookup = () =>
        shortLived.inject({
          method: 'POST',
          url: '/',
          headers: { authorization: `Bearer ${captured}`, 'content-type': 'text/xml' },
          payload: GET_SERVER_TIME_ZONES,
        });
      expect((await lookup()).statusCode).toBe(200);
      // Only Date moves: the lifetime, the clock tolerance and one second later.
      jest.useFakeTimers({
        now: Date.now() + (60 + CLOCK_TOLERANCE_SECONDS + 1) * 1000,
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      const res = await lookup();
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
    } finally {
      jest.useRealTimers();
      await shortLived.close();
    }
  });

  it('logs why a token was refused, and from where, without the token', async () => {
    logs.clear();
    const forged = await sign(claims({ aud: 'elsewhere' }));
    await post(`Bearer ${forged}`);
    const [line] = logs.find('BearerTokenGuard', 'bearer token refused');
    expect(JSON.parse(line.line)).toMatchObject({
      reason: 'wrong audience',
      clientIp: '127.0.0.1',
    });
    expect(logs.text()).not.toContain(forged.split('.')[2]);
  });
});

describe('bearer guard over real HTTP', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await startRelay({}, { listen: true });
    base = baseUrlOf(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('delivers the WWW-Authenticate challenge to the client through Fastify', async () => {
    const res = await fetch(`${base}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: 'Bearer a.b.c' },
      body: GET_SERVER_TIME_ZONES,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(INVALID_TOKEN);
  });

  it('serves a client that fetched its token over HTTP with Basic', async () => {
    const tokenRes = await fetch(`${base}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('cache-control')).toBe('no-store');
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${base}/`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: `Bearer ${access_token}` },
      body: GET_SERVER_TIME_ZONES,
    });
    expect(res.status).toBe(200);
  });
});
