import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

/** The EWS operations the relay answers (metrics count anything else as `other`). */
export type EwsOperation =
  'GetUserAvailability' | 'GetServerTimeZones' | 'GetRoomLists' | 'GetRooms';

/** The authenticated caller of an EWS request, as the bearer guard verified it. */
export interface RelayCaller {
  /** The OAuth client id the token was issued to (GOOGLE_CLIENT_ID or a tenant's own). */
  readonly clientId: string;
  /**
   * The tenant whose own Google client (TENANT_<NAME>_GOOGLE_CLIENT_ID) the token was issued to:
   * the caller sees that tenant's mailboxes only. Undefined for the global client (every tenant).
   */
  readonly tenant?: string;
  /** The token's `jti`: correlates lookups with the /token log line that issued it. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/**
 * What the relay learns about one HTTP request while it answers it, in one place: the Fastify
 * hooks (configure-app.ts), the bearer guard, the EWS controller and operation, the fault
 * filter and the tracing facade read and write it here instead of each keeping a side table.
 */
export interface RequestContext {
  /** Fastify's id: the caller's x-request-id when it is safe, else a fresh UUID. */
  readonly requestId: string;
  /** The peer, or the X-Forwarded-For hop that TRUST_PROXY vouches for. */
  readonly clientIp: string;
  /** Set by the bearer guard on every request it lets through (for the audit line). */
  caller?: RelayCaller;
  /** Which EWS operation the SOAP body asked for, once it has been read. */
  operation?: EwsOperation;
  /** The RequestServerVersion the caller asked for: a fault answers with it too. */
  requestedVersion?: string;
  /** The request's SERVER span, while tracing is on and the request is an EWS one. */
  span?: Span;
}

/** What a request must have to carry a context (a FastifyRequest has it). */
export interface ContextualRequest {
  readonly id: unknown;
  readonly ip: string;
}

// Keyed by the request object, so a context lives exactly as long as its request, and every
// piece of the request's path that holds the request finds the same one. The onResponse hooks
// and the exception filter run outside any async context the request's handler started.
const contexts = new WeakMap<object, RequestContext>();

// For code that has no request in hand, deep under the AvailabilityProvider port (the Graph
// client starting a CLIENT span), while the EWS controller runs the lookup through
// runInRequestContext. An AsyncLocalStorage entered in an onRequest hook would not do: the
// body parser's stream events lose it (https://github.com/fastify/fastify/issues/3570).
const current = new AsyncLocalStorage<RequestContext>();

/** The request's context, made on first use (the first onRequest hook, in the relay). */
export function requestContextOf(request: ContextualRequest): RequestContext {
  let context = contexts.get(request);
  if (context === undefined) {
    context = { requestId: String(request.id), clientIp: request.ip };
    contexts.set(request, context);
  }
  return context;
}

/** Runs `work` (and whatever it starts) with `context` as the current request's. */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return current.run(context, work);
}

/** The context of the request being answered, inside runInRequestContext; else undefined. */
export function currentRequestContext(): RequestContext | undefined {
  return current.getStore();
}
