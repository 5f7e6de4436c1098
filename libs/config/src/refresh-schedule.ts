import type { ConfigRefreshOutcome } from './config-source-health';
import { sleep, type Scheduler } from './scheduler';

export const UNCHANGED: ConfigRefreshOutcome = { changed: false, changedKeys: [] };

/**
 * When the configuration is re-read: each source on its own period, on demand (refreshNow, when
 * Graph refuses the credentials), and at timed moments (the end of a Google secret grace). One
 * run at a time, so two refreshes never interleave their reads and publishes. On-demand calls
 * that arrive while one waits to start share it (their targets join), and on-demand runs start
 * at least `spacingMs` after the previous run started, so a burst of failing requests cannot
 * flood Vault. Timers run only between start() and stop(); after stop() nothing runs at all.
 *
 * `run` must never reject: the on-demand callers are promised that, and timers have no one to
 * tell.
 */
export class RefreshSchedule<T> {
  private chain: Promise<unknown> = Promise.resolve();
  private queued?: { readonly targets: Set<T>; readonly outcome: Promise<ConfigRefreshOutcome> };
  private lastRunStartedAt = 0;
  private readonly timers = new Map<string, { cancel(): void }>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly spacingMs: number,
    private readonly run: (targets: readonly T[]) => Promise<ConfigRefreshOutcome>,
  ) {}

  /** Refreshes `targets` soon; resolves with what that run changed. */
  now(targets: readonly T[]): Promise<ConfigRefreshOutcome> {
    if (this.stopped || targets.length === 0) return Promise.resolve(UNCHANGED);
    if (this.queued !== undefined) {
      for (const target of targets) this.queued.targets.add(target);
      return this.queued.outcome;
    }
    const joined = new Set(targets);
    const outcome = this.serialize(async () => {
      this.queued = undefined;
      const wait = this.lastRunStartedAt + this.spacingMs - this.scheduler.now();
      if (wait > 0) await sleep(this.scheduler, wait);
      return this.runNow([...joined]);
    });
    this.queued = { targets: joined, outcome };
    return outcome;
  }

  /** Arms the timers: from now on `every` and `at` schedule. */
  start(): void {
    if (!this.stopped) this.running = true;
  }

  /** Refreshes `target` every `seconds` (0: never) while running. */
  every(key: string, target: T, seconds: number): void {
    if (!this.running || seconds <= 0) return;
    this.timers.set(
      key,
      this.scheduler.setTimeout(() => {
        void this.serialize(() => this.runNow([target])).finally(() =>
          this.every(key, target, seconds),
        );
      }, seconds * 1000),
    );
  }

  /** Runs `task` in turn `inMs` from now (replacing a timer of the same key), or `cancel`s it. */
  at(key: string, inMs: number | undefined, task: () => void): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (!this.running || inMs === undefined) return;
    this.timers.set(
      key,
      this.scheduler.setTimeout(
        () => {
          this.timers.delete(key);
          void this.serialize(() => Promise.resolve(this.running ? task() : undefined));
        },
        Math.max(0, inMs),
      ),
    );
  }

  stop(): void {
    this.running = false;
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private runNow(targets: readonly T[]): Promise<ConfigRefreshOutcome> {
    if (this.stopped) return Promise.resolve(UNCHANGED);
    this.lastRunStartedAt = this.scheduler.now();
    return this.run(targets);
  }

  private serialize<R>(task: () => Promise<R>): Promise<R> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
