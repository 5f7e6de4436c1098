/** Timers the configuration sources use; injectable so unit specs drive time themselves. */
export interface Scheduler {
  setTimeout(run: () => void, ms: number): { cancel(): void };
  now(): number;
}

export const realScheduler: Scheduler = {
  setTimeout(run, ms) {
    // unref: a pending renewal or refresh must never keep a stopping process alive.
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  now: () => Date.now(),
};

export function sleep(scheduler: Scheduler, ms: number): Promise<void> {
  return new Promise((resolve) => scheduler.setTimeout(resolve, ms));
}
