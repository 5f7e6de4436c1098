/**
 * How many getSchedule calls the relay lets be in flight for one app, adapted to what Graph
 * accepts. Outlook runs at most 4 concurrent requests per app ID "regardless of whether the
 * requests all access the same mailbox, or access different mailboxes" and refuses more with
 * 429 `ApplicationThrottled` "Application is over its MailboxConcurrency limit."
 * (microsoft-graph-docs-contrib concepts/throttling-limits.md, "Outlook service limits", and
 * PR #9428 "Throttling is per application"; the refusal as magodo/terraform-provider-outlook
 * issue #21 quotes it). Other users of the same app ID (a second replica, a script with the
 * same registration) take from the same 4, so the relay cannot know its share in advance.
 *
 * The rule, a form of additive increase, multiplicative decrease:
 * - start at the configured ceiling (GRAPH_CONCURRENCY, default 4);
 * - on ApplicationThrottled, at once go down to one less than the calls in flight when it
 *   came (Graph just said that many were too many), never below 1;
 * - after `recoverAfterMs` without ApplicationThrottled, go up by one, and again after each
 *   further quiet period, back to the ceiling.
 * Pure: the clock is an argument.
 */
export interface AdaptiveCallLimitSettings {
  /** The configured ceiling (GRAPH_CONCURRENCY). */
  readonly ceiling: number;
  /** Quiet time before each step back up. */
  readonly recoverAfterMs: number;
}

export class AdaptiveCallLimit {
  private limit: number;
  private lastChangeAtMs = 0;

  constructor(private readonly settings: AdaptiveCallLimitSettings) {
    if (!Number.isInteger(settings.ceiling) || settings.ceiling < 1) {
      throw new RangeError(
        `the concurrency ceiling must be a positive integer, got ${settings.ceiling}`,
      );
    }
    this.limit = settings.ceiling;
  }

  /** The limit in force at `nowMs` (steps back up when Graph has been quiet long enough). */
  current(nowMs: number): number {
    if (this.limit < this.settings.ceiling) {
      const steps = Math.floor((nowMs - this.lastChangeAtMs) / this.settings.recoverAfterMs);
      if (steps > 0) {
        this.limit = Math.min(this.settings.ceiling, this.limit + steps);
        this.lastChangeAtMs += steps * this.settings.recoverAfterMs;
      }
    }
    return this.limit;
  }

  /**
   * Graph refused a call for the app's concurrency while `inFlight` calls (that one included)
   * were running. Returns the new limit when it went down, undefined when it was already there.
   */
  throttled(inFlight: number, nowMs: number): number | undefined {
    const before = this.current(nowMs);
    const next = Math.max(1, Math.min(before, inFlight - 1));
    this.lastChangeAtMs = nowMs;
    if (next === before) return undefined;
    this.limit = next;
    return next;
  }
}
