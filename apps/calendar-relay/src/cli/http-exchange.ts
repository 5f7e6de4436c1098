import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** No HTTP answer at all; `code` is Node's (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ...). */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpExchangeOptions {
  readonly method: 'POST' | 'GET';
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** One more CA to trust (PEM), on top of Node's own store (e.g. a private test CA). */
  readonly extraCa?: string;
  readonly timeoutMs: number;
}

/**
 * One HTTP(S) request with node:http(s), whose errors keep Node's codes (fetch hides them in a
 * `cause`): the diagnosis needs to tell a self-signed certificate from a refused connection.
 */
export function httpExchange(url: URL, options: HttpExchangeOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: options.method,
        headers: options.headers,
        ...(options.extraCa !== undefined ? { ca: [...rootCertificates, options.extraCa] } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => reject(transportErrorOf(error)));
      },
    );
    req.setTimeout(options.timeoutMs, () =>
      req.destroy(new TransportError('TIMEOUT', `no answer within ${options.timeoutMs} ms`)),
    );
    req.on('error', (error) => reject(transportErrorOf(error)));
    req.end(options.body);
  });
}

function transportErrorOf(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(typeof code === 'string' ? code : 'UNKNOWN', message);
}
