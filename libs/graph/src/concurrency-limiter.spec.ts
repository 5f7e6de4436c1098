import fc from 'fast-check';
import { KeyedConcurrencyLimiter } from './concurrency-limiter';

const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('KeyedConcurrencyLimiter', () => {
  it('runs at most maxPerKey tasks of one key at once, others of other keys meanwhile', async () => {
    const limiter = new KeyedConcurrencyLimiter({ maxTotal: 10, maxPerKey: 4 });
    const g = gate();
    const started: string[] = [];
    const tasks = ['a', 'a', 'a', 'a', 'a', 'a', 'b'].map((key, i) =>
      limiter.run(key, never, async () => {
        started.push(`${key}${i}`);
        await g.opened;
      }),
    );
    await tick();
    expect(started).toEqual(['a0', 'a1', 'a2', 'a3', 'b6']);
    expect(limiter.inUse('a')).toBe(4);
    expect(limiter.waiting).toBe(2);
    g.open();
    await Promise.all(tasks);
    expect(started).toHaveLength(7);
    expect(limiter.inUse()).toBe(0);
  });

  it('bounds the total across keys', async () => {
    const limiter = new KeyedConcurrencyLimiter({ maxTotal: 2, maxPerKey: 4 });
    const g = gate();
    let running = 0;
    let peak = 0;
    const tasks = ['a', 'b', 'c', 'd'].map((key) =>
      limiter.run(key, never, async () => {
        peak = Math.max(peak, ++running);
        await g.opened;
        running--;
      }),
    );
    await tick();
    expect(running).toBe(2);
    g.open();
    await Promise.all(tasks);
    expect(peak).toBe(2);
  });

  it('lets a waiter leave the queue when its signal aborts, without taking a slot', async () => {
    const limiter = new KeyedConcurrencyLimiter({ maxTotal: 1, maxPerKey: 1 });
    const g = gate();
    const first = limiter.run('a', never, () => g.opened);
    const controller = new AbortController();
    const second = limiter.run('a', controller.signal, () => Promise.resolve('ran'));
    controller.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    expect(limiter.waiting).toBe(0);
    g.open();
    await first;
    await expect(limiter.run('a', never, () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('gives the slot back when a task fails', async () => {
    const limiter = new KeyedConcurrencyLimiter({ maxTotal: 1, maxPerKey: 1 });
    await expect(limiter.run('a', never, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(limiter.inUse()).toBe(0);
  });

  it('never exceeds its limits and finishes every task, for any mix of keys and durations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3 })), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (jobs, maxTotal, maxPerKey) => {
          const limiter = new KeyedConcurrencyLimiter({ maxTotal, maxPerKey });
          const running = new Map<string, number>();
          let total = 0;
          const done = await Promise.all(
            jobs.map(([key, ticks]) =>
              limiter.run(key, never, async () => {
                total++;
                running.set(key, (running.get(key) ?? 0) + 1);
                expect(total).toBeLessThanOrEqual(maxTotal);
                expect(running.get(key)).toBeLessThanOrEqual(maxPerKey);
                for (let i = 0; i < ticks; i++) await tick();
                total--;
                running.set(key, running.get(key)! - 1);
                return key;
              }),
            ),
          );
          expect(done).toHaveLength(jobs.length);
        },
      ),
      { numRuns: 50 },
    );
  });
});
