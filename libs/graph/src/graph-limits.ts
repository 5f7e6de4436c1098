/**
 * How hard the relay leans on Microsoft Graph, in one place. The Graph numbers come from
 * docs/protocol.md section 6 and Microsoft's throttling page: 20 schedules per getSchedule call
 * (the service takes 100; the documented 20 is what Microsoft supports), and at most 4 concurrent
 * requests per app ID, whatever the mailboxes (microsoft-graph-docs-contrib
 * concepts/throttling-limits.md, "Outlook service limits"; the ceiling is GRAPH_CONCURRENCY, and
 * adaptive-call-limit.ts lowers it while Graph throttles). The rest are the relay's own choices,
 * sized for a lookup deadline of a few seconds.
 */
export const GRAPH_LIMITS = {
  /** Documented maximum of `schedules` in one getSchedule call. */
  schedulesPerCall: 20,
  /** After ApplicationThrottled, quiet time before each step of the call limit back up. */
  concurrencyRecoverAfterMs: 30_000,
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
  /** Throttled attempts (429 without a long Retry-After) per chunk, on top of maxAttempts. */
  maxThrottledAttempts: 8,
  /** When Graph refuses a chunk's anchor mailbox (403 out of scope, 404), other anchors tried. */
  maxReanchors: 3,
  /** How long an anchor Graph refused is not tried again, and how many are remembered. */
  refusedAnchorTtlMs: 10 * 60_000,
  refusedAnchorMaxEntries: 10_000,
  /**
   * A schedule answered with at least this many items may have been cut off (Graph's answers
   * stop near 1,000 entries: microsoftgraph/microsoft-graph-docs PR #21589): its window is
   * asked again in halves.
   */
  truncationSuspectItems: 950,
  /** Readiness stays up this long through transient Entra failures once a token was had. */
  transientReadinessGraceMs: 120_000,
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
