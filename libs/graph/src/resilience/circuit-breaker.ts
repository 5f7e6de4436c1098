/**
 * A circuit breaker for the Graph calls: after `failureThreshold` consecutive failed calls it
 * opens, and the relay answers at once instead of piling more calls onto a failing service;
 * after `openMs` one probe call is let through (half-open) and its outcome closes or re-opens
 * the circuit. A state machine over an injected clock: no timers, no I/O.
 *
 * Failures are what says Graph is unwell (5xx, network errors, timed-out calls). Throttling and
 * 4xx answers are Graph working as designed and count as successes; an attempt abandoned because
 * the lookup's own deadline passed tells nothing and only frees the probe slot.
 */

export type CircuitState = 'closed' | 'open' | 'halfOpen';

export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly openMs: number;
}

export class CircuitBreaker {
  private mode: 'closed' | 'open' = 'closed';
  private consecutiveFailures = 0;
  private openedAtMs = 0;
  private probeInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  state(): CircuitState {
    if (this.mode === 'closed') return 'closed';
    return this.now() - this.openedAtMs >= this.options.openMs ? 'halfOpen' : 'open';
  }

  /** Whether a call could be made now (without taking the half-open probe slot). */
  canRequest(): boolean {
    const state = this.state();
    return state === 'closed' || (state === 'halfOpen' && !this.probeInFlight);
  }

  /** Asks to make one call; in half-open state only one caller at a time gets a yes. */
  tryAcquire(): boolean {
    switch (this.state()) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'halfOpen':
        if (this.probeInFlight) return false;
        this.probeInFlight = true;
        return true;
    }
  }

  recordSuccess(): void {
    this.mode = 'closed';
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    if (this.mode === 'open') {
      // A failed probe re-opens for a full period; late failures of calls that started before
      // the circuit opened change nothing.
      if (this.probeInFlight) this.open();
      return;
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.options.failureThreshold) this.open();
  }

  /** The call ended without a verdict on Graph's health (our deadline aborted it). */
  recordAbandoned(): void {
    this.probeInFlight = false;
  }

  private open(): void {
    this.mode = 'open';
    this.openedAtMs = this.now();
    this.probeInFlight = false;
  }
}
