import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { KeepAliveHttpsTransport } from '../libs/graph/src/transport/keep-alive-https-transport';
import { emulatorTls } from './graph-emulator/emulator-tls';

/**
 * The Graph transport against a real local HTTPS server whose certificate is trusted the way
 * production trusts Microsoft's (NODE_EXTRA_CA_CERTS, set by with-test-ca.sh).
 */
describe('KeepAliveHttpsTransport (the Graph transport)', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  const connections: Socket[] = [];
  const transport = new KeepAliveHttpsTransport();

  beforeAll(async () => {
    server = createServer(emulatorTls(), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    server.on('secureConnection', (socket: Socket) => connections.push(socket));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    transport.destroy();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });

  beforeEach(() => {
    connections.length = 0;
  });

  it('posts the body and headers, hands back status, headers and body, over one kept-alive connection', async () => {
    const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] =
      [];
    handler = (req, body, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body,
      });
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'TooManyRequests', n: seen.length } }));
    };
    for (let i = 1; i <= 3; i++) {
      const answer = await transport.post(`${base}/v1.0/users/a%40contoso.com/x`, {
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{"schedules":["a@contoso.com"]}',
      });
      expect(answer.status).toBe(429);
      expect(answer.header('Retry-After')).toBe('7');
      expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
        error: { code: 'TooManyRequests', n: i },
      });
    }
    expect(seen[0]).toEqual({
      method: 'POST',
      url: '/v1.0/users/a%40contoso.com/x',
      auth: 'Bearer t',
      type: 'application/json',
      body: '{"schedules":["a@contoso.com"]}',
    });
    expect(connections).toHaveLength(1);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('decodes a %s-compressed answer', async (encoding, compress) => {
    const json = JSON.stringify({ value: Array.from({ length: 500 }, (_, i) => ({ i })) });
    handler = (req, _body, res) => {
      expect(req.headers['accept-encoding']).toContain(encoding);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(json)));
    };
    const answer = await transport.post(`${base}/`, { body: '{}' });
    expect(answer.header('content-encoding')).toBeUndefined();
    expect(answer.body.toString('utf8')).toBe(json);
  });

  it('gives a 204 an empty body', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(204);
      res.end();
    };
    const answer = await transport.post(`${base}/`, { body: '{}' });
    expect(answer.status).toBe(204);
    expect(answer.body.length).toBe(0);
  });

  it('stops waiting and closes the connection when the signal aborts mid-answer', async () => {
    let serverSide: ServerResponse | undefined;
    handler = (_req, _body, res) => {
      serverSide = res;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value":['); // and never ends
    };
    const controller = new AbortController();
    const pending = transport.post(`${base}/`, { body: '{}', signal: controller.signal });
    while (serverSide === undefined) await new Promise((r) => setTimeout(r, 5));
    const closed = new Promise<void>((done) => serverSide?.on('close', done));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await closed; // the server sees the exchange end: no socket is left hanging
  });

  it('rejects at once with an already aborted signal, sending nothing', async () => {
    let calls = 0;
    handler = (_req, _body, res) => {
      calls++;
      res.end();
    };
    await expect(
      transport.post(`${base}/`, { body: '{}', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(0);
  });

  it('refuses a body it cannot send, sending nothing', async () => {
    let calls = 0;
    handler = (_req, _body, res) => {
      calls++;
      res.end();
    };
    await expect(
      // @ts-expect-error: the types allow strings and bytes only; this is the check at run time.
      transport.post(`${base}/`, { body: new URLSearchParams({ a: '1' }) }),
    ).rejects.toThrow(/Only string and byte bodies/);
    expect(calls).toBe(0);
  });

  it('says why a connection failed', async () => {
    const closed = createServer(emulatorTls());
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    await expect(transport.post(`https://127.0.0.1:${port}/`, { body: '{}' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
