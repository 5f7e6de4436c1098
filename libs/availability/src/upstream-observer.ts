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
 * What a provider tells about its upstream work, for metrics. Optional: providers run without
 * one (tests, the admin CLI) and know nothing of how the numbers are kept. An abstract class so
 * that it is its own DI token (the app binds it to its metrics).
 */
export abstract class UpstreamObserver {
  /** One attempt ended: its result and how long it took. */
  abstract upstreamCallEnded(result: UpstreamCallResult, durationMs: number): void;
  /** A failed attempt will be tried again after a pause. */
  abstract upstreamRetryScheduled(reason: 'throttled' | 'transient'): void;
  /** One lookup's mailboxes: served from the cache (or an identical lookup in flight) or not. */
  abstract cacheLookedUp(hits: number, misses: number): void;
}
