/**
 * Bounds concurrent work overall and per key. Graph allows 4 concurrent requests per app and
 * anchor mailbox (a fifth is answered 429), and the relay bounds all its calls so that a burst of
 * lookups queues here instead of in Graph's throttling. Waiters are served first come, first
 * served among those whose key has a free slot; a waiter whose signal aborts leaves the queue.
 */

export interface ConcurrencyLimits {
  readonly maxTotal: number;
  readonly maxPerKey: number;
}

interface Waiter {
  readonly key: string;
  readonly grant: (release: () => void) => void;
}

export class KeyedConcurrencyLimiter {
  private running = 0;
  private readonly runningByKey = new Map<string, number>();
  private readonly queue: Waiter[] = [];

  constructor(private readonly limits: ConcurrencyLimits) {
    if (limits.maxTotal < 1 || limits.maxPerKey < 1) {
      throw new RangeError('concurrency limits must be at least 1');
    }
  }

  /** Runs `task` once a slot for `key` is free; rejects with the signal's reason if it aborts first. */
  async run<T>(key: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key, signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Waits for a slot; the returned function gives it back (once). */
  acquire(key: string, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    // Queued waiters are all blocked by their own key's limit (a free overall slot is handed out
    // as soon as it frees), so a newcomer with room for its key jumps no one.
    if (this.hasRoomFor(key)) return Promise.resolve(this.take(key));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        key,
        grant: (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** For tests and metrics: calls running now, overall and for one key. */
  inUse(key?: string): number {
    return key === undefined ? this.running : (this.runningByKey.get(key) ?? 0);
  }

  get waiting(): number {
    return this.queue.length;
  }

  private hasRoomFor(key: string): boolean {
    return (
      this.running < this.limits.maxTotal &&
      (this.runningByKey.get(key) ?? 0) < this.limits.maxPerKey
    );
  }

  private take(key: string): () => void {
    this.running += 1;
    this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.runningByKey.get(key) ?? 1) - 1;
      if (left === 0) this.runningByKey.delete(key);
      else this.runningByKey.set(key, left);
      this.dispatch();
    };
  }

  private dispatch(): void {
    for (let i = 0; i < this.queue.length && this.running < this.limits.maxTotal;) {
      const waiter = this.queue[i];
      if (this.hasRoomFor(waiter.key)) {
        this.queue.splice(i, 1);
        waiter.grant(this.take(waiter.key));
      } else {
        i += 1;
      }
    }
  }
}
