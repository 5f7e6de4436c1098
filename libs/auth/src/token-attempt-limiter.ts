import { SlidingWindowLog } from './sliding-window-log';

/**
 * Brute-force protection of POST /token (RFC 6749 2.3.1: the endpoint "MUST protect against
 * brute force attacks"). Pure: the clock is injected, nothing is logged or sent here.
 *
 * Three limits, each a sliding window:
 * - requests per client address (every POST counts, good or bad) -> 429 while over it;
 * - failed authentications per client address -> that address is locked out for a while;
 * - failed authentications per client id -> the client id is locked out for a while, whichever
 *   address asks (a brute force spread over many addresses still hits this one).
 * A lockout refuses the right secret too: otherwise the 429 would only slow the attacker, and a
 * correct guess would still be told apart from a wrong one.
 *
 * Google asks for a token about once an hour per replica; the defaults are orders of magnitude
 * above that, so only a misbehaving or hostile caller ever meets them.
 */

export interface TokenAttemptLimits {
  /** Token requests per client address per minute. */
  readonly requestsPerMinutePerAddress: number;
  /** Failed authentications per client address within `lockoutMs` that start a lockout. */
  readonly failuresPerAddress: number;
  /** Failed authentications per client id within `lockoutMs` that start a lockout. */
  readonly failuresPerClient: number;
  /** Both the window failures are counted in and how long a lockout lasts. */
  readonly lockoutMs: number;
  /** Keys remembered per dimension; the least recently seen are forgotten beyond it. */
  readonly maxTrackedKeys: number;
}

/** Who is asking: the address always; the client id only when it is the configured one. */
export interface TokenAttempt {
  readonly address: string;
  readonly clientId?: string;
}

export type TokenAttemptRefusal = 'address_rate' | 'address_locked' | 'client_locked';

export type TokenAttemptDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: TokenAttemptRefusal;
      /** Whole seconds until asking again can succeed (at least 1), for Retry-After. */
      readonly retryAfterSeconds: number;
    };

/** A lockout that began with this failure, for the one log line it deserves. */
export interface LockoutStarted {
  readonly dimension: 'address' | 'client';
  readonly key: string;
  readonly untilMs: number;
}

const MINUTE_MS = 60_000;

export class TokenAttemptLimiter {
  private readonly requests: SlidingWindowLog;
  private readonly addressFailures: SlidingWindowLog;
  private readonly clientFailures: SlidingWindowLog;
  /** Lockouts as "locked until" times; a lockout is also a failure log whose window is full. */
  private readonly addressLocks: SlidingWindowLog;
  private readonly clientLocks: SlidingWindowLog;

  constructor(
    readonly limits: TokenAttemptLimits,
    private readonly now: () => number = Date.now,
  ) {
    const keys = limits.maxTrackedKeys;
    this.requests = new SlidingWindowLog(limits.requestsPerMinutePerAddress, MINUTE_MS, keys);
    this.addressFailures = new SlidingWindowLog(limits.failuresPerAddress, limits.lockoutMs, keys);
    this.clientFailures = new SlidingWindowLog(limits.failuresPerClient, limits.lockoutMs, keys);
    // One event per lockout, living exactly lockoutMs: "count >= 1" reads as "locked".
    this.addressLocks = new SlidingWindowLog(1, limits.lockoutMs, keys);
    this.clientLocks = new SlidingWindowLog(1, limits.lockoutMs, keys);
  }

  /**
   * Whether to look at this request at all. Counts it against the address's request rate when
   * it is let through (refused requests do not extend their own refusal).
   */
  admit(attempt: TokenAttempt): TokenAttemptDecision {
    const now = this.now();
    const clientWait =
      attempt.clientId === undefined ? 0 : this.clientLocks.msUntilRoom(attempt.clientId, now);
    if (clientWait > 0) return refuse('client_locked', clientWait);
    const addressWait = this.addressLocks.msUntilRoom(attempt.address, now);
    if (addressWait > 0) return refuse('address_locked', addressWait);
    const rateWait = this.requests.msUntilRoom(attempt.address, now);
    if (rateWait > 0) return refuse('address_rate', rateWait);
    this.requests.add(attempt.address, now);
    return { allowed: true };
  }

  /** A failed authentication; returns the lockouts it started (none, usually). */
  recordFailure(attempt: TokenAttempt): LockoutStarted[] {
    const now = this.now();
    const started: LockoutStarted[] = [];
    const untilMs = now + this.limits.lockoutMs;
    if (this.addressFailures.add(attempt.address, now) >= this.limits.failuresPerAddress) {
      this.addressFailures.forget(attempt.address);
      this.addressLocks.add(attempt.address, now);
      started.push({ dimension: 'address', key: attempt.address, untilMs });
    }
    if (
      attempt.clientId !== undefined &&
      this.clientFailures.add(attempt.clientId, now) >= this.limits.failuresPerClient
    ) {
      this.clientFailures.forget(attempt.clientId);
      this.clientLocks.add(attempt.clientId, now);
      started.push({ dimension: 'client', key: attempt.clientId, untilMs });
    }
    return started;
  }

  /**
   * A successful authentication clears the address's failures (a typo before the right secret
   * is not an attack). The client id's failures stay: they may come from anyone.
   */
  recordSuccess(attempt: TokenAttempt): void {
    this.addressFailures.forget(attempt.address);
  }
}

function refuse(reason: TokenAttemptRefusal, waitMs: number): TokenAttemptDecision {
  return { allowed: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
