import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';

/** One HTTP answer, its body read whole and decoded. */
export interface HttpAnswer {
  readonly status: number;
  /** A response header by its (case-insensitive) name, as sent; undefined when absent. */
  header(name: string): string | undefined;
  /** The body, decoded (gzip, deflate, br); empty for 204/205/304. */
  readonly body: Buffer;
}

export interface HttpGet {
  readonly headers?: RequestInit['headers'];
  readonly signal?: AbortSignal;
}

export interface HttpPost extends HttpGet {
  /** A string or bytes: the relay only sends JSON. */
  readonly body: string | Uint8Array;
}

/**
 * The HTTP transport under the Graph SDK (graph-sdk-transport.ts hands it the SDK's requests): a
 * POST (getSchedule) or a GET (places) answered with a body read whole, on node:https with a
 * keep-alive agent.
 *
 * Why not the global fetch (undici): measured on Node 20 (before the move to 24) against a local HTTPS server, a
 * getSchedule-sized POST cost 1.0-1.6 ms of CPU through fetch and 0.33-0.56 ms through
 * node:https (WHATWG streams, Request/Headers objects and per-call signal plumbing), and the
 * relay makes at least one such call per lookup; reading a WHATWG Response's body copies it
 * through a ReadableStream and a TextDecoder again (0.15-0.35 ms for 200 KB on Node 24). The
 * behaviour is what fetch gave the relay:
 *
 * - TLS trust is Node's store plus NODE_EXTRA_CA_CERTS; connections are kept alive and reused,
 *   most recently used first (least likely to have been closed by the far end), and idle ones
 *   are closed after `idleSocketMs`;
 * - gzip, deflate and br answers are decoded (Graph compresses when asked);
 * - the signal aborts the exchange at any point, and the promise rejects;
 * - a failure rejects with an Error whose message says what happened ("connect ECONNREFUSED
 *   127.0.0.1:443", "SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain").
 *
 * Redirects are not followed: neither getSchedule nor places redirects, and a redirect would send
 * the bearer token to another host.
 */
export class KeepAliveHttpsTransport {
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

  post(url: string, post: HttpPost): Promise<HttpAnswer> {
    let body: string | Buffer;
    try {
      body = bodyOf(post.body); // before the request exists: a refused body leaves no socket
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exchange('POST', url, post, body);
  }

  get(url: string, get: HttpGet): Promise<HttpAnswer> {
    return this.exchange('GET', url, get, undefined);
  }

  /** Closes kept-alive connections (module shutdown). */
  destroy(): void {
    this.agent.destroy();
  }

  private exchange(
    method: 'GET' | 'POST',
    url: string,
    { headers, signal }: HttpGet,
    body: string | Buffer | undefined,
  ): Promise<HttpAnswer> {
    if (signal?.aborted) return Promise.reject(abortErrorOf(signal));
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(url, {
        method,
        agent: this.agent,
        headers: { 'accept-encoding': 'gzip, deflate, br', ...plainHeadersOf(headers) },
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
          (answerBody) => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(answerOf(res, answerBody));
          },
          (error: NodeJS.ErrnoException) => fail(describedError(error)),
        );
      });
      if (body === undefined) req.end();
      else req.end(body);
    });
  }
}

function plainHeadersOf(headers: HttpGet['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers === undefined) return plain;
  const entries: Iterable<readonly (string | undefined)[]> =
    headers instanceof Headers || Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries) {
    if (name !== undefined && value !== undefined) plain[name.toLowerCase()] = value;
  }
  return plain;
}

function bodyOf(body: unknown): string | Buffer {
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

function answerOf(res: IncomingMessage, body: Buffer): HttpAnswer {
  const status = res.statusCode ?? 0;
  const headers = res.headers;
  return {
    status,
    // Node joins repeated headers; the body is handed over decoded, so its encoding and
    // length no longer describe it.
    header: (name) => {
      const key = name.toLowerCase();
      if (key === 'content-encoding' || key === 'content-length') return undefined;
      const value = headers[key];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: NULL_BODY_STATUSES.has(status) ? Buffer.alloc(0) : body,
  };
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
