/**
 * How hard the relay leans on Microsoft Graph, in one place. The Graph numbers come from
 * docs/protocol.md section 6: 20 schedules per getSchedule call (the service takes 100; the
 * documented 20 is what Microsoft supports), and throttling at 4 concurrent requests (per app
 * and mailbox in older versions of Microsoft's throttling page, per app ID in its current
 * wording). The rest are the relay's own choices, sized for a lookup deadline of a few seconds.
 */
export const GRAPH_LIMITS = {
  /** Documented maximum of `schedules` in one getSchedule call. */
  schedulesPerCall: 20,
  /** Graph's per-anchor concurrency limit; one more and it answers 429. */
  concurrentCallsPerAnchor: 4,
  /** All getSchedule calls in flight from this process (protects the relay and the tenant). */
  concurrentCalls: 16,
  /** Attempts per chunk, first call included (429/503/5xx/timeouts/unreadable answers). */
  maxAttempts: 4,
  /** Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^(n-1))). */
  backoffBaseMs: 200,
  backoffCapMs: 2_000,
  /** A retry is only worth starting with at least this much time left before the deadline. */
  minAttemptMs: 150,
  /**
   * One attempt may use at most this share of the lookup's deadline, so that a hung call
   * still leaves time for a second try.
   */
  attemptShareOfDeadline: 0.5,
  /** When Graph rejects a chunk's anchor mailbox (404), other anchors tried from the chunk. */
  maxReanchors: 2,
  /** Consecutive failed calls that open the circuit, and how long it then stays open. */
  breakerFailureThreshold: 5,
  breakerOpenMs: 10_000,
  /** A cached Graph token is replaced this long before it expires (Entra's own margin). */
  tokenRefreshMarginMs: 5 * 60_000,
  /** Readiness: how long a token fetch may take, and how long its verdict is reused. */
  readinessTimeoutMs: 3_000,
  readinessCacheMs: 5_000,
} as const;

export type GraphLimits = { readonly [K in keyof typeof GRAPH_LIMITS]: number };
