/**
 * How one upstream call (a Graph getSchedule attempt, token fetch included) ended, in words fit
 * for a metric label: a small, fixed set.
 */
export type UpstreamCallResult =
  | 'answered'
  /** 429, or 503 with Retry-After: the upstream asked the relay to slow down. */
  | 'throttled'
  | 'http_error'
  | 'unreadable'
  | 'network'
  | 'aborted'
  /** No token, so no request was sent. */
  | 'token_failed';

/**
 * What a provider tells about its upstream work, for metrics, per tenant (the name in TENANTS,
 * `default` for the single-tenant keys: a set the configuration bounds, so fit for a label).
 * Optional: providers run without one (tests, the admin CLI) and know nothing of how the numbers
 * are kept. An abstract class so that it is its own DI token (the app binds it to its metrics).
 */
export abstract class UpstreamObserver {
  /** One attempt of `tenant`'s ended: its result and how long it took. */
  abstract upstreamCallEnded(tenant: string, result: UpstreamCallResult, durationMs: number): void;
  /** A failed attempt of `tenant`'s will be tried again after a pause. */
  abstract upstreamRetryScheduled(tenant: string, reason: 'throttled' | 'transient'): void;
  /** One lookup's mailboxes of `tenant`: served from the cache (or a lookup in flight) or not. */
  abstract cacheLookedUp(tenant: string, hits: number, misses: number): void;
}
