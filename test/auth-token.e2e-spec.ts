import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { RelayConfigStore } from '@app/config';
import { GET_SERVER_TIME_ZONES } from './support/ews-request-bodies';
import {
  basicAuthorization,
  CollectedLogs,
  requestToken,
  startRelay,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from './support/relay-app';

/**
 * POST /token as Google Calendar Interop (and other OAuth clients) call it: RFC 6749 client
 * credentials, answered by the real app.
 */

/** Whether the EWS endpoint lets this token through (answers XML, not the guard's 401). */
async function ewsAccepts(app: NestFastifyApplication, token: string): Promise<boolean> {
  const res = await app.inject({
    method: 'POST',
    url: '/EWS/Exchange.asmx',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
    payload: GET_SERVER_TIME_ZONES,
  });
  if (res.statusCode === 401) return false;
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  return true;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

function expectOAuthError(
  res: Awaited<ReturnType<typeof requestToken>>,
  status: number,
  error: string,
): void {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  const body = res.json<Record<string, unknown>>();
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body.error).toBe(error);
}

describe('POST /token', () => {
  const logs = new CollectedLogs();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay({}, { logger: logs });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => logs.clear());

  describe('issues a token', () => {
    it('for form-body credentials, as Google sends them', async () => {
      const res = await requestToken(app);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      const body = res.json<TokenResponse>();
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBe(3600);
      // JWT-shaped: ews-javascript-api refuses anything else.
      expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = decodeJwt(body.access_token);
      expect(claims).toMatchObject({
        iss: 'calendar-relay',
        aud: 'calendar-relay:ews',
        sub: TEST_CLIENT_ID,
      });
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(claims.jti).toEqual(expect.any(String));
      expect(await ewsAccepts(app, body.access_token)).toBe(true);
    });

    it('for HTTP Basic credentials, form-urlencoded as RFC 6749 2.3.1 says', async () => {
      const res = await requestToken(app, { via: 'basic' });
      expect(res.statusCode).toBe(200);
      expect(await ewsAccepts(app, res.json<TokenResponse>().access_token)).toBe(true);
    });

    it('with an explicit client_credentials grant, ignoring scope, resource and audience', async () => {
      const res = await requestToken(app, {
        extra: {
          grant_type: 'client_credentials',
          scope: 'https://outlook.office365.com/.default',
          resource: 'https://outlook.office365.com',
          audience: 'ews',
        },
      });
      expect(res.statusCode).toBe(200);
    });

    it('with a different id and expiry for each request', async () => {
      const [a, b] = await Promise.all([requestToken(app), requestToken(app)]);
      const token = (r: typeof a) => r.json<TokenResponse>().access_token;
      expect(decodeJwt(token(a)).jti).not.toBe(decodeJwt(token(b)).jti);
    });

    it('and logs who got it from where, never the secret or the token', async () => {
      const res = await requestToken(app, { via: 'basic' });
      const token = res.json<TokenResponse>().access_token;
      const [line] = logs.find('TokenEndpoint', 'token issued');
      expect(JSON.parse(line.line)).toMatchObject({
        clientId: TEST_CLIENT_ID,
        clientIp: '127.0.0.1',
        authMethod: 'client_secret_basic',
        tokenId: decodeJwt(token).jti,
      });
      expect(logs.text()).not.toContain(TEST_CLIENT_SECRET);
      expect(logs.text()).not.toContain(token.split('.')[2]);
    });
  });

  describe('refuses', () => {
    it('a wrong secret in the body with 401 invalid_client and no Basic challenge', async () => {
      const res = await requestToken(app, { clientSecret: 'guess' });
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toBeUndefined();
      const [line] = logs.find('TokenEndpoint', 'token refused');
      expect(JSON.parse(line.line)).toMatchObject({
        reason: 'wrong client credentials',
        clientIp: '127.0.0.1',
      });
      expect(logs.text()).not.toContain('guess');
    });

    it('a wrong secret over Basic with 401 invalid_client and a Basic challenge', async () => {
      const res = await requestToken(app, { via: 'basic', clientSecret: 'guess' });
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="calendar-relay"/);
    });

    it('a wrong client id, even with the right secret', async () => {
      expectOAuthError(
        await requestToken(app, { clientId: 'someone-else' }),
        401,
        'invalid_client',
      );
    });

    it('a request without client authentication', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
      expectOAuthError(res, 401, 'invalid_client');
    });

    it.each([
      'password',
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ])('the %s grant with 400 unsupported_grant_type', async (grant) => {
      expectOAuthError(
        await requestToken(app, { extra: { grant_type: grant } }),
        400,
        'unsupported_grant_type',
      );
    });

    it('Basic and body secret at once with 400 invalid_request (RFC 6749 2.3)', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuthorization(TEST_CLIENT_ID, TEST_CLIENT_SECRET),
        },
        payload: new URLSearchParams({ client_secret: TEST_CLIENT_SECRET }).toString(),
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('a repeated parameter with 400 invalid_request (RFC 6749 3.2)', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `client_id=${TEST_CLIENT_ID}&client_secret=${TEST_CLIENT_SECRET}&client_secret=${TEST_CLIENT_SECRET}`,
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it.each([
      [
        'JSON',
        'application/json',
        JSON.stringify({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET }),
      ],
      ['XML', 'text/xml', '<token/>'],
      [
        'plain text',
        'text/plain',
        `client_id=${TEST_CLIENT_ID}&client_secret=${TEST_CLIENT_SECRET}`,
      ],
    ])('a %s body with 400 invalid_request', async (_name, type, payload) => {
      const res = await app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': type },
        payload,
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('a malformed Basic header with 400 invalid_request', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Basic not*base64',
        },
        payload: '',
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it.each(['GET', 'PUT', 'DELETE', 'PATCH'] as const)(
      '%s with 405 and Allow: POST',
      async (method) => {
        const res = await app.inject({ method, url: '/token' });
        expect(res.statusCode).toBe(405);
        expect(res.headers.allow).toBe('POST');
      },
    );
  });
});

describe('POST /token with special characters and rotation', () => {
  // Base64 alphabets produce + and /: what operators generate secrets with.
  const SECRET = 'p+ss/w%rd:=&é';
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay({ GOOGLE_CLIENT_SECRET: SECRET, TOKEN_LIFETIME_SECONDS: '600' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts a secret with + / % : = & through the form body and both Basic spellings', async () => {
    expect((await requestToken(app, { clientSecret: SECRET })).statusCode).toBe(200);
    expect((await requestToken(app, { clientSecret: SECRET, via: 'basic' })).statusCode).toBe(200);
    // curl -u id:secret does not form-encode; the raw reading is accepted too.
    const raw = `Basic ${Buffer.from(`${TEST_CLIENT_ID}:${SECRET}`).toString('base64')}`;
    const res = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: raw },
    });
    expect(res.statusCode).toBe(200);
  });

  it('gives tokens the configured lifetime', async () => {
    const res = await requestToken(app, { clientSecret: SECRET });
    expect(res.json<TokenResponse>().expires_in).toBe(600);
  });

  it('rotates the client secret without downtime when the configuration changes at run time', async () => {
    const store = app.get(RelayConfigStore);
    const before = store.current();
    const oldToken = (await requestToken(app, { clientSecret: SECRET })).json().access_token;
    try {
      // Vault delivers a new secret; the replaced one stays accepted for a while.
      store.update({
        ...before,
        google: {
          ...before.google,
          clientSecret: 'brand-new-secret-0123456789',
          previousClientSecret: SECRET,
        },
      });
      expect(
        (await requestToken(app, { clientSecret: 'brand-new-secret-0123456789' })).statusCode,
      ).toBe(200);
      expect((await requestToken(app, { clientSecret: SECRET })).statusCode).toBe(200);
      expect(await ewsAccepts(app, oldToken)).toBe(true);

      // The rotation is over: the old secret, and tokens signed under it, are refused.
      store.update({
        ...before,
        google: { ...before.google, clientSecret: 'brand-new-secret-0123456789' },
      });
      expectOAuthError(await requestToken(app, { clientSecret: SECRET }), 401, 'invalid_client');
      expect(await ewsAccepts(app, oldToken)).toBe(false);
    } finally {
      store.update(before);
    }
  });
});

describe('tokens across replicas', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });
  const start = async (env: Record<string, string>) => {
    const app = await startRelay(env);
    apps.push(app);
    return app;
  };
  const tokenOf = async (app: NestFastifyApplication, clientSecret = TEST_CLIENT_SECRET) =>
    (await requestToken(app, { clientSecret })).json<TokenResponse>().access_token;

  it('are accepted by every replica with the same configuration, without shared state', async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    expect(await ewsAccepts(b, await tokenOf(a))).toBe(true);
    expect(await ewsAccepts(a, await tokenOf(b))).toBe(true);
  });

  it('are refused by a relay with another client secret or another signing key', async () => {
    const key = 'k'.repeat(40);
    const [plain, otherSecret, signed, otherKey] = await Promise.all([
      start({}),
      start({ GOOGLE_CLIENT_SECRET: 'another-secret-0123456789-abcdef' }),
      start({ TOKEN_SIGNING_KEY: key }),
      start({ TOKEN_SIGNING_KEY: 'z'.repeat(40) }),
    ]);
    expect(await ewsAccepts(otherSecret, await tokenOf(plain))).toBe(false);
    expect(await ewsAccepts(plain, await tokenOf(signed))).toBe(false);
    expect(await ewsAccepts(otherKey, await tokenOf(signed))).toBe(false);
    // Each relay saw its own environment (the configuration is read per app, not per process).
    expect(
      await ewsAccepts(otherSecret, await tokenOf(otherSecret, 'another-secret-0123456789-abcdef')),
    ).toBe(true);
  });

  it('signed under the previous secret stay valid on a replica that already rotated', async () => {
    const [old, rotated] = await Promise.all([
      start({}),
      start({
        GOOGLE_CLIENT_SECRET: 'rotated-secret-0123456789-abcdef',
        GOOGLE_CLIENT_SECRET_PREVIOUS: TEST_CLIENT_SECRET,
      }),
    ]);
    expect(await ewsAccepts(rotated, await tokenOf(old))).toBe(true);
  });
});
