import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GET_SERVER_TIME_ZONES } from './support/ews-request-bodies';
import {
  bearerTokenFor,
  requestToken,
  startRelay,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from './support/relay-app';

/**
 * The headers a browser-borne attacker (or a cache in between) would meet on every answer of
 * the relay: answers, refusals and errors alike.
 */

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

type Injected = Awaited<ReturnType<NestFastifyApplication['inject']>>;

function expectSecurityHeaders(res: Injected | { headers: Record<string, unknown> }): void {
  expect(res.headers).toMatchObject(EXPECTED);
  // no-store, or a route's own stricter spelling of it (the health probes').
  expect(res.headers['cache-control']).toMatch(/(^|[ ,])no-store($|,)/);
}

describe('security headers on every answer', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({
      IP_ALLOWLIST: '192.0.2.0/24',
      TOKEN_RATE_LIMIT_PER_MINUTE: '3',
      BODY_LIMIT_BYTES: '4096',
    });
    token = await bearerTokenFor(app, {});
  });
  afterAll(async () => {
    await app.close();
  });

  const ews = (headers: Record<string, string>, payload: string | Buffer = GET_SERVER_TIME_ZONES) =>
    app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      remoteAddress: '192.0.2.10',
      headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
      payload,
    });

  it.each([
    ['an EWS answer', () => ews({ authorization: `Bearer ${token}` }), 200],
    ['a SOAP fault', () => ews({ authorization: `Bearer ${token}` }, '<nope/>'), 500],
    ['a missing token (401)', () => ews({}), 401],
    ['a body over the limit (413)', () => ews({}, Buffer.alloc(8192, 0x61)), 413],
    [
      'a caller outside IP_ALLOWLIST (403)',
      () => app.inject({ method: 'POST', url: '/', remoteAddress: '198.51.100.1' }),
      403,
    ],
    ['an unknown route (404)', () => app.inject({ method: 'GET', url: '/wp-admin' }), 404],
    ['a health probe', () => app.inject({ method: 'GET', url: '/health/live' }), 200],
    ['a refused token request', () => requestToken(app, { clientSecret: 'wrong' }), 401],
  ] as const)('%s', async (_what, send, status) => {
    const res = await send();
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res);
    // Plain HTTP (TLS ends at the ingress): no HSTS claim from the relay.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('also on a token answer and on the 429 of a caller over the token rate', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(
        await app.inject({
          method: 'POST',
          url: '/token',
          remoteAddress: '203.0.113.50',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            client_id: TEST_CLIENT_ID,
            client_secret: TEST_CLIENT_SECRET,
          }).toString(),
        }),
      );
    }
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    for (const res of answers) expectSecurityHeaders(res);
  });
});

describe('HSTS when the relay serves TLS itself', () => {
  const tlsDir = process.env.GRAPH_EMULATOR_TLS_DIR;
  const maybe = tlsDir === undefined ? it.skip : it;

  maybe('sends Strict-Transport-Security over HTTPS', async () => {
    const dir = tlsDir!;
    const app = await startRelay(
      {
        TLS_CERT_FILE: join(dir, 'server.pem'),
        TLS_KEY_FILE: join(dir, 'server.key'),
      },
      { listen: true },
    );
    try {
      const address = app.getHttpServer().address();
      if (address === null || typeof address === 'string') throw new Error('not listening');
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: address.port,
            path: '/health/live',
            ca: readFileSync(join(dir, 'ca.pem')),
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.headers));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expectSecurityHeaders({ headers });
      expect(headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await app.close();
    }
  });
});
