import type { AdaptiveCallLimit } from './adaptive-call-limit';

/**
 * The queue in front of Graph for one app: at most `limit.current()` calls run at once, and the
 * rest wait their turn fairly across lookups. Each lookup is a flow; a freed slot goes to the
 * waiting flow that has had the fewest slots so far (ties: the one whose turn came least
 * recently), first come first served within a flow. So a 100-mailbox lookup's five chunks do not
 * hold a one-mailbox lookup behind all of them: the small lookup waits for one slot, not for the
 * big one, and two big lookups take turns. A waiter whose signal aborts (its lookup's deadline)
 * leaves the queue.
 */
interface Waiter {
  readonly grant: (release: () => void) => void;
}

export class FairCallQueue {
  private running = 0;
  /** Flows with waiters, in the order their turns come; each flow's waiters in arrival order. */
  private readonly flows = new Map<object, Waiter[]>();
  /** Slots each flow has had so far. */
  private readonly grantedByFlow = new WeakMap<object, number>();

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
      return Promise.resolve(this.take(flow));
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

  private take(flow: object): () => void {
    this.running += 1;
    this.grantedByFlow.set(flow, (this.grantedByFlow.get(flow) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.dispatch();
    };
  }

  /** Hands free slots out, each to the waiting flow that has had the fewest. */
  private dispatch(): void {
    while (this.flows.size > 0 && this.running < this.limit.current(this.now())) {
      let chosen: object | undefined;
      let fewest = Infinity;
      for (const flow of this.flows.keys()) {
        const granted = this.grantedByFlow.get(flow) ?? 0;
        if (granted < fewest) {
          chosen = flow;
          fewest = granted;
        }
      }
      const flow = chosen!;
      const waiters = this.flows.get(flow)!;
      const waiter = waiters.shift()!;
      // The flow goes to the back of the line: among equals, the others come first next time.
      this.flows.delete(flow);
      if (waiters.length > 0) this.flows.set(flow, waiters);
      waiter.grant(this.take(flow));
    }
  }
}
