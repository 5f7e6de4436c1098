import type { AdaptiveCallLimit } from './adaptive-call-limit';

/**
 * The queue in front of Graph for one app: at most `limit.current()` calls run at once, and the
 * rest wait their turn fairly across lookups. Each lookup is a flow; a freed slot goes to the
 * flow whose turn it is (round robin over the flows with work waiting), first come first served
 * within a flow. So a 100-mailbox lookup's five chunks do not hold a one-mailbox lookup behind
 * all of them: the small lookup waits for one slot, not for the big one. A waiter whose signal
 * aborts (its lookup's deadline) leaves the queue.
 */
interface Waiter {
  readonly grant: (release: () => void) => void;
}

export class FairCallQueue {
  private running = 0;
  /** Flows with waiters, in the order their turns come; each flow's waiters in arrival order. */
  private readonly flows = new Map<object, Waiter[]>();

  constructor(
    private limit: AdaptiveCallLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new limit (GRAPH_CONCURRENCY changed): calls in flight finish under the old one. */
  useLimit(limit: AdaptiveCallLimit): void {
    this.limit = limit;
    this.dispatch();
  }

  /** Calls running now (for the adaptive limit and tests). */
  get inFlight(): number {
    return this.running;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    let n = 0;
    for (const waiters of this.flows.values()) n += waiters.length;
    return n;
  }

  /**
   * Runs `task` once a slot is free for `flow` (any object identifying a lookup); rejects with
   * the signal's reason if it aborts first.
   */
  async run<T>(flow: object, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(flow, signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Waits for a slot; the returned function gives it back (once). */
  acquire(flow: object, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    // Anyone queued is waiting for a slot, so a newcomer only goes straight in when no one is.
    if (this.flows.size === 0 && this.running < this.limit.current(this.now())) {
      return Promise.resolve(this.take());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const waiters = this.flows.get(flow);
        const at = waiters?.indexOf(waiter) ?? -1;
        if (waiters !== undefined && at >= 0) {
          waiters.splice(at, 1);
          if (waiters.length === 0) this.flows.delete(flow);
        }
        reject(signal.reason as Error);
        // A smaller queue may let someone else in (the limit may have risen meanwhile).
        this.dispatch();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const waiters = this.flows.get(flow);
      if (waiters === undefined) this.flows.set(flow, [waiter]);
      else waiters.push(waiter);
    });
  }

  private take(): () => void {
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.dispatch();
    };
  }

  /** Hands free slots out, one per flow in turn. */
  private dispatch(): void {
    while (this.flows.size > 0 && this.running < this.limit.current(this.now())) {
      const [flow, waiters] = this.flows.entries().next().value as [object, Waiter[]];
      const waiter = waiters.shift()!;
      // The flow goes to the back of the line: its next waiter waits for the others' turns.
      this.flows.delete(flow);
      if (waiters.length > 0) this.flows.set(flow, waiters);
      waiter.grant(this.take());
    }
  }
}
