/**
 * When to try a getSchedule call again, and after how long. Pure: the clock and the random
 * source are arguments, so every branch is tested without waiting.
 *
 * - 429 and 503 are Graph saying "not now": its `Retry-After` (seconds, or an HTTP date) is
 *   honoured when the lookup's deadline leaves room for it; when it does not, retrying sooner
 *   would only be throttled again, so the chunk gives up and reports how long Graph asked for.
 * - Other 5xx, network failures, timed-out attempts and unreadable answers are retried after an
 *   exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 *   Jitter"): spreads the retries of many lookups that failed together.
 * - Every chunk gets a bounded number of attempts, counted per kind: throttling has the larger
 *   budget (while Graph sheds a burst a chunk may wait its turn several times; the deadline
 *   still bounds it), transient failures the smaller; nothing else (4xx) is retried.
 */

export type RetryableFailure =
  /** Graph asked us to slow down (429, or 503 with its Retry-After). */
  | { readonly kind: 'throttled'; readonly retryAfterMs?: number }
  /** Anything that may go away by itself: 5xx, network, attempt timeout, unreadable answer. */
  | { readonly kind: 'transient' };

export interface RetryLimits {
  /** Attempts that failed transiently, the first call included. */
  readonly maxAttempts: number;
  /** Attempts that were throttled. */
  readonly maxThrottledAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** A new attempt needs at least this much time left before the deadline. */
  readonly minAttemptMs: number;
}

export interface RetryContext {
  /** 1-based number of the attempt of this failure's kind that just failed. */
  readonly attempt: number;
  readonly nowMs: number;
  readonly deadlineAtMs: number;
  /** Uniform in [0, 1): Math.random in production. */
  readonly random: () => number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      /** `attempts`: the bound was reached; `deadline`: no time left for what Graph asked. */
      readonly why: 'attempts' | 'deadline';
      /** For throttling: how long Graph wants callers to stay away (for ErrorServerBusy). */
      readonly backOffMs?: number;
    };

export function decideRetry(
  failure: RetryableFailure,
  context: RetryContext,
  limits: RetryLimits,
): RetryDecision {
  const retryAfterMs = failure.kind === 'throttled' ? failure.retryAfterMs : undefined;
  const stop = (why: 'attempts' | 'deadline'): RetryDecision =>
    failure.kind === 'throttled'
      ? { retry: false, why, backOffMs: retryAfterMs ?? limits.backoffCapMs }
      : { retry: false, why };
  const bound = failure.kind === 'throttled' ? limits.maxThrottledAttempts : limits.maxAttempts;
  if (context.attempt >= bound) return stop('attempts');
  const delayMs =
    retryAfterMs !== undefined && retryAfterMs > 0
      ? retryAfterMs
      : fullJitterBackoff(context.attempt, context.random, limits);
  const timeLeftAfterDelay = context.deadlineAtMs - (context.nowMs + delayMs);
  if (timeLeftAfterDelay < limits.minAttemptMs) return stop('deadline');
  return { retry: true, delayMs };
}

/** A random delay in [0, min(cap, base * 2^(attempt-1))). */
export function fullJitterBackoff(
  attempt: number,
  random: () => number,
  limits: Pick<RetryLimits, 'backoffBaseMs' | 'backoffCapMs'>,
): number {
  const ceiling = Math.min(
    limits.backoffCapMs,
    limits.backoffBaseMs * 2 ** Math.max(0, attempt - 1),
  );
  return Math.floor(random() * ceiling);
}
