import type { onSendHookHandler } from 'fastify';

/**
 * Headers every answer carries: the relay serves machine clients only (SOAP, OAuth JSON,
 * probes), so nothing may be sniffed into HTML, framed, cached, or leak a referrer.
 *
 * Added in onSend, which Fastify runs for every reply it writes: routes, the 404 handler,
 * error answers (413 body too large, 415, 500 faults) and the allowlist's 403. A header a route
 * already set (e.g. the token endpoint's Cache-Control) is left as it is.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // Free/busy answers and tokens must never sit in a shared cache (RFC 6749 5.1 for tokens).
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * HSTS only when the relay itself terminates TLS: behind an ingress the ingress owns the
 * header (and a plain-HTTP listener must not claim HTTPS). One year, no includeSubDomains: the
 * relay's host name says nothing about its siblings.
 */
export const HSTS = 'max-age=31536000';

/** The onSend hook that adds them. */
export function securityHeadersHook(options: { readonly servesTls: boolean }): onSendHookHandler {
  const headers = options.servesTls
    ? { ...SECURITY_HEADERS, 'strict-transport-security': HSTS }
    : SECURITY_HEADERS;
  return (_request, reply, payload, done) => {
    for (const [name, value] of Object.entries(headers)) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    done(null, payload);
  };
}
