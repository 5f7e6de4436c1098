import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';

/**
 * The HTTP transport under the Graph SDK: a `fetch` for the one kind of call the relay makes
 * (a JSON POST, answered with a JSON body read whole), on node:https with a keep-alive agent.
 * It answers with the parts of a Response that the SDK and the relay read (BufferedResponse).
 *
 * Why not the global fetch (undici): measured on this Node 20 against a local HTTPS server, a
 * getSchedule-sized POST cost 1.0-1.6 ms of CPU through fetch and 0.33-0.56 ms through
 * node:https (WHATWG streams, Request/Headers objects and per-call signal plumbing), and the
 * relay makes at least one such call per lookup. Behaviour is what fetch gave the relay:
 *
 * - TLS trust is Node's store plus NODE_EXTRA_CA_CERTS; connections are kept alive and reused,
 *   most recently used first (least likely to have been closed by the far end), and idle ones
 *   are closed after `idleSocketMs`;
 * - gzip, deflate and br answers are decoded (Graph compresses when asked);
 * - the signal aborts the exchange at any point, and the promise rejects;
 * - a failure rejects with an Error whose message says what happened ("connect ECONNREFUSED
 *   127.0.0.1:443", "SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain").
 *
 * Redirects are not followed: getSchedule does not redirect, and a redirect would send the bearer
 * token to another host.
 */
export class KeepAliveHttpsFetch {
  private readonly agent: Agent;

  constructor(options: { idleSocketMs?: number } = {}) {
    this.agent = new Agent({
      keepAlive: true,
      scheduling: 'lifo',
      // Node closes a kept-alive socket idle this long (or sooner, if the server's Keep-Alive
      // header says so). An active exchange is governed by the caller's signal alone.
      timeout: options.idleSocketMs ?? 30_000,
    });
  }

  /** Same contract as fetch(url, init) for string URLs, string bodies and plain header objects. */
  readonly fetch = (url: string, init: RequestInit = {}): Promise<Response> => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortErrorOf(signal));
    let body: string | Buffer | undefined;
    try {
      body = bodyOf(init.body); // before the request exists: a refused body leaves no socket
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, {
        method: init.method ?? 'GET',
        agent: this.agent,
        headers: { 'accept-encoding': 'gzip, deflate, br', ...plainHeadersOf(init.headers) },
      });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        req.destroy();
        reject(error);
      };
      const onAbort = () => fail(abortErrorOf(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error: NodeJS.ErrnoException) => fail(describedError(error)));
      req.on('response', (res) => {
        readBody(res).then(
          (body) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(responseOf(url, res, body));
          },
          (error: NodeJS.ErrnoException) => fail(describedError(error)),
        );
      });
      req.end(body);
    });
  };

  /** Closes kept-alive connections (module shutdown). */
  destroy(): void {
    this.agent.destroy();
  }
}

function plainHeadersOf(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers === undefined) return plain;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of headers as Iterable<[string, string]>) {
      plain[name.toLowerCase()] = value;
    }
    return plain;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string>)) {
    plain[name.toLowerCase()] = value;
  }
  return plain;
}

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  throw new TypeError('Only string and byte bodies are supported by the Graph transport.');
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  const decoder = decoderFor(res.headers['content-encoding']);
  const source: Readable = decoder === undefined ? res : res.pipe(decoder);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the connection closed before the answer ended')));
    source.on('error', reject);
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    source.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  });
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The part of the fetch Response the relay and the Graph SDK read (status, headers, the body
 * as text or JSON), over the body already in memory. A WHATWG Response would copy the body
 * through a ReadableStream and a TextDecoder on every call: ~0.5 ms of CPU for a 10-mailbox
 * week of events in the bench's profile, for nothing.
 */
class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.consume().toString('utf8'));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    return Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    );
  }

  private consume(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    return this.body;
  }
}

function responseOf(url: string, res: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i].toLowerCase();
    // The body is handed over decoded: its encoding and length headers no longer describe it.
    if (name === 'content-encoding' || name === 'content-length') continue;
    headers.append(name, res.rawHeaders[i + 1]);
  }
  const status = res.statusCode ?? 0;
  return new BufferedResponse(
    url,
    status,
    res.statusMessage ?? '',
    headers,
    NULL_BODY_STATUSES.has(status) ? Buffer.alloc(0) : body,
  ) as unknown as Response;
}

function abortErrorOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The operation was aborted.', 'AbortError');
}

function describedError(error: NodeJS.ErrnoException): Error {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code === undefined || error.message.includes(code)) return error;
  return new Error(`${code}: ${error.message}`, { cause: error });
}
