import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { availabilityRequest } from './support/ews-request-bodies';
import {
  bearerTokenFor,
  startRelay,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from './support/relay-app';
import { faultOf, fixture, mailboxesOf, soapBodyContent } from './support/soap';

/**
 * The relay under attack, end to end: each test sends what an attacker would and asserts what
 * the attacker gets back (and that nothing leaked or broke on the way).
 */

const GOOGLE_REQUEST = fixture('google-interop.xml');
const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const M_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';

type Injected = Awaited<ReturnType<NestFastifyApplication['inject']>>;

/** A refusal as EWS clients read it: 500, text/xml, a soap:Fault with an EWS ResponseCode. */
async function expectSoapFault(res: Injected, responseCode: string): Promise<void> {
  expect(res.statusCode).toBe(500);
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect((await faultOf(res.body)).responseCode).toBe(responseCode);
}

/** The status line a raw HTTP/1.1 request gets (Node's parser answers some before Fastify). */
function rawStatusLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n')[0]));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** A form POST to /token from `remoteAddress`. */
function tokenAttempt(
  app: NestFastifyApplication,
  remoteAddress: string,
  clientSecret: string,
  clientId = TEST_CLIENT_ID,
) {
  return app.inject({
    method: 'POST',
    url: '/token',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString(),
  });
}

describe('attacks on the EWS endpoint', () => {
  let app: NestFastifyApplication;
  let token: string;
  let secretDir: string;
  let listener: Server;
  let listenerHits = 0;

  beforeAll(async () => {
    app = await startRelay({ EVENT_DETAILS: 'true' }, { listen: true });
    token = await bearerTokenFor(app);
    secretDir = mkdtempSync(join(tmpdir(), 'relay-xxe-'));
    listener = createServer((_req, res) => {
      listenerHits += 1;
      res.end('REMOTE-ENTITY-CONTENT');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => listener.close(resolve));
    rmSync(secretDir, { recursive: true, force: true });
  });

  const ews = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/xml; charset=utf-8',
        ...headers,
      },
      payload,
    });

  /** The Google request with `&name;` in place of the first mailbox address. */
  const withEntity = (declaration: string) =>
    GOOGLE_REQUEST.replace(
      '<SOAP-ENV:Envelope',
      `<!DOCTYPE SOAP-ENV:Envelope [ ${declaration} ]><SOAP-ENV:Envelope`,
    ).replace('adele.vance@contoso.com', '&xxe;');

  it('XXE to a local file: a fault, and not a byte of the file', async () => {
    const marker = `FILE-SECRET-${randomBytes(8).toString('hex')}`;
    const file = join(secretDir, 'secret.txt');
    writeFileSync(file, marker);
    const res = await ews(withEntity(`<!ENTITY xxe SYSTEM "file://${file}">`));
    await expectSoapFault(res, 'ErrorSchemaValidation');
    expect(res.body).not.toContain(marker);
    expect(res.body).not.toContain(secretDir);
  });

  it('XXE to a URL: a fault, and the relay never calls the URL', async () => {
    const { port } = listener.address() as AddressInfo;
    const res = await ews(withEntity(`<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/steal">`));
    await expectSoapFault(res, 'ErrorSchemaValidation');
    expect(res.body).not.toContain('REMOTE-ENTITY-CONTENT');
    // Parameter entities (the out-of-band variant) are refused the same way.
    const oob = await ews(
      withEntity(`<!ENTITY % remote SYSTEM "http://127.0.0.1:${port}/dtd"> %remote;`),
    );
    await expectSoapFault(oob, 'ErrorSchemaValidation');
    expect(listenerHits).toBe(0);
  });

  it('billion laughs: a quick fault, no expansion', async () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i += 1) {
      levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    }
    const bomb = withEntity(levels.join('') + '<!ENTITY xxe "&lol9;">');
    const started = Date.now();
    const res = await ews(bomb);
    await expectSoapFault(res, 'ErrorSchemaValidation');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.body.length).toBeLessThan(4000);
  });

  it('the same attacks with a byte order mark or in a lower-case doctype are refused too', async () => {
    const lowerCase = withEntity('<!ENTITY xxe "x">').replace('<!DOCTYPE', '<!doctype');
    await expectSoapFault(await ews(lowerCase), 'ErrorSchemaValidation');
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(withEntity('<!ENTITY xxe "x">')),
    ]);
    await expectSoapFault(await ews(bom), 'ErrorSchemaValidation');
  });

  it('deep nesting: a fault, not a stack overflow', async () => {
    const depth = 10_000;
    const nested = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    const body = GOOGLE_REQUEST.replace(
      '<SOAP-ENV:Header>',
      `<SOAP-ENV:Header><x xmlns="urn:attack">${nested}</x>`,
    );
    const res = await ews(body);
    await expectSoapFault(res, 'ErrorSchemaValidation');
    expect((await faultOf(res.body)).message).toMatch(/nested deeper/);
    // The relay still answers normally afterwards.
    expect((await ews(GOOGLE_REQUEST)).statusCode).toBe(200);
  });

  it('a huge body: 413 before any parsing, as JSON rather than an HTML page', async () => {
    const huge = GOOGLE_REQUEST.replace(
      '<SOAP-ENV:Header>',
      `<SOAP-ENV:Header><x xmlns="urn:attack">${'A'.repeat(300 * 1024)}</x>`,
    );
    const res = await ews(huge);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).not.toMatch(/<html|<!doctype/i);
    expect(res.body.length).toBeLessThan(500);
    // Without a token too: the limit does not depend on who asks.
    const anonymous = await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'text/xml' },
      payload: huge,
    });
    expect(anonymous.statusCode).toBe(413);
  });

  it('__proto__ and constructor elements: a normal answer, no polluted prototype', async () => {
    const poisoned = GOOGLE_REQUEST.replace(
      '<ns2:MailboxData>',
      '<ns2:__proto__><ns2:polluted>yes</ns2:polluted><ns2:toString>x</ns2:toString></ns2:__proto__>' +
        '<ns2:constructor><ns2:prototype><ns2:polluted>yes</ns2:polluted></ns2:prototype></ns2:constructor>' +
        '<ns2:MailboxData>',
    ).replace(
      '<SOAP-ENV:Header>',
      '<SOAP-ENV:Header><__proto__ xmlns="urn:attack" polluted="yes"><isAdmin>true</isAdmin></__proto__>',
    );
    const res = await ews(poisoned);
    expect(res.statusCode).toBe(200);
    const mailboxes = await mailboxesOf(res.body);
    expect(mailboxes.map((m) => m.responseCode)).toEqual(['NoError', 'ErrorMailRecipientNotFound']);
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(typeof probe.toString).toBe('function');
  });

  it.each([
    ['SOAP envelope namespace with an https typo', 'https://schemas.xmlsoap.org/soap/envelope/'],
    ['no envelope namespace', ''],
    ['a made-up namespace', 'urn:not-soap'],
  ])('wrong envelope namespace (%s): a SOAP fault', async (_what, ns) => {
    const body = GOOGLE_REQUEST.replace(
      `xmlns:SOAP-ENV="${ENVELOPE_NS}"`,
      `xmlns:SOAP-ENV="${ns}"`,
    );
    expect(body).not.toBe(GOOGLE_REQUEST);
    await expectSoapFault(await ews(body), 'ErrorSchemaValidation');
  });

  it('the operation in a wrong messages namespace: ErrorInvalidOperation, not an answer', async () => {
    const body = GOOGLE_REQUEST.replaceAll(
      M_NS,
      'http://schemas.microsoft.com/exchange/services/2006/messages/evil',
    );
    await expectSoapFault(await ews(body), 'ErrorInvalidOperation');
  });

  it('oversized headers and URLs: 431 from the HTTP layer, and the relay keeps serving', async () => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const padding = 'p'.repeat(20 * 1024);
    expect(
      await rawStatusLine(port, `POST / HTTP/1.1\r\nHost: x\r\nX-Padding: ${padding}\r\n\r\n`),
    ).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(await rawStatusLine(port, `POST /?${padding} HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large',
    );
    expect((await ews(GOOGLE_REQUEST)).statusCode).toBe(200);
  });

  it('a body without a Content-Type, or of another media type, is answered with a SOAP fault', async () => {
    const res = await ews(Buffer.from(GOOGLE_REQUEST), {
      'content-type': 'application/octet-stream',
    });
    expect([200, 500]).toContain(res.statusCode);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    await soapBodyContent(res.body);
  });
});

describe('forged X-Forwarded-For from an untrusted peer', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({ IP_ALLOWLIST: 'google', TRUST_PROXY: '10.0.0.0/8' });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const fromPeer = (remoteAddress: string, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: '/',
      remoteAddress,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/xml; charset=utf-8',
        'x-forwarded-for': forwardedFor,
      },
      payload: availabilityRequest(['adele.vance@contoso.com']),
    });

  it('is not believed: a Google address in the header does not open the door', async () => {
    const res = await fromPeer('203.0.113.66', '74.125.88.1');
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe('Forbidden');
    // An IPv4-mapped spelling of an untrusted peer changes nothing either.
    expect((await fromPeer('::ffff:203.0.113.66', '74.125.88.1')).statusCode).toBe(403);
  });

  it('is believed from the ingress only (the contrast that shows the header matters)', async () => {
    expect((await fromPeer('10.1.2.3', '74.125.88.1')).statusCode).toBe(200);
    // The ingress forwarding an outsider: refused.
    expect((await fromPeer('10.1.2.3', '203.0.113.66')).statusCode).toBe(403);
    // The outsider prepending a Google address to what the ingress appends: the last hop counts.
    expect((await fromPeer('10.1.2.3', '74.125.88.1, 203.0.113.66')).statusCode).toBe(403);
  });
});

describe('token endpoint brute force', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay({
      TOKEN_MAX_FAILURES_PER_ADDRESS: '3',
      TOKEN_MAX_FAILURES_PER_CLIENT: '6',
      TOKEN_LOCKOUT_SECONDS: '2',
      TOKEN_RATE_LIMIT_PER_MINUTE: '10',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('locks an address out after repeated failures; the right secret waits until the lockout ends', async () => {
    const attacker = '203.0.113.10';
    for (let i = 0; i < 3; i += 1) {
      expect((await tokenAttempt(app, attacker, `guess-${i}`)).statusCode).toBe(401);
    }
    const locked = await tokenAttempt(app, attacker, TEST_CLIENT_SECRET);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toMatch(/^[12]$/);
    expect(locked.headers['cache-control']).toBe('no-store');
    expect(locked.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/retry after [12] seconds/),
    });
    // No access_token, and nothing that says the secret was right.
    expect(locked.body).not.toContain('access_token');
    const wrong = await tokenAttempt(app, attacker, 'guess-again');
    expect(wrong.statusCode).toBe(429);
    expect(wrong.body).toBe(locked.body);

    // Another address is not affected by this one's lockout.
    expect((await tokenAttempt(app, '198.51.100.20', TEST_CLIENT_SECRET)).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await tokenAttempt(app, attacker, TEST_CLIENT_SECRET)).statusCode).toBe(200);
  });

  it('locks the client id out when the guesses come from many addresses', async () => {
    for (let i = 0; i < 6; i += 1) {
      expect((await tokenAttempt(app, `192.0.2.${100 + i}`, `spray-${i}`)).statusCode).toBe(401);
    }
    // Google itself, from a clean address, must wait out the lockout too.
    const google = await tokenAttempt(app, '74.125.88.7', TEST_CLIENT_SECRET);
    expect(google.statusCode).toBe(429);
    expect(Number(google.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Guessing other client ids is judged per address only (and never succeeds).
    expect((await tokenAttempt(app, '192.0.2.200', 'x', 'someone-else')).statusCode).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await tokenAttempt(app, '74.125.88.7', TEST_CLIENT_SECRET)).statusCode).toBe(200);
  });

  it('limits the request rate of one address whatever it sends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await tokenAttempt(app, '203.0.113.77', TEST_CLIENT_SECRET)).statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

// Stolen, forged and expired bearer tokens (replay after expiry, another key, alg none, a
// switched algorithm, tampering, another issuer, audience or client) are tested once, through the
// real app, in test/auth-bearer-guard.e2e-spec.ts; the verification rules behind each refusal in
// libs/auth/src/access-token.spec.ts.
