import fc from 'fast-check';
import { AdaptiveCallLimit } from './adaptive-call-limit';
import { FairCallQueue } from './fair-call-queue';

const never = new AbortController().signal;

function queueOf(ceiling: number, now = () => 0) {
  const limit = new AdaptiveCallLimit({ ceiling, recoverAfterMs: 30_000 });
  return { limit, queue: new FairCallQueue(limit, now) };
}

/** A task that ends when the test says so, recording when it started. */
function controlledTask(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
    },
    finish: () => finish(),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('FairCallQueue', () => {
  it('runs at most the limit at once and starts the next as one ends', async () => {
    const { queue } = queueOf(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c'].map((n) => controlledTask(started, n));
    const flow = {};
    const runs = tasks.map((t) => queue.run(flow, never, t.run));
    await flush();
    expect(started).toEqual(['a', 'b']);
    expect(queue.inFlight).toBe(2);
    expect(queue.waiting).toBe(1);
    tasks[0].finish();
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[1].finish();
    tasks[2].finish();
    await Promise.all(runs);
    expect(queue.inFlight).toBe(0);
  });

  it("serves lookups in turn: a small lookup waits for one slot, not for a big one's queue", async () => {
    const { queue } = queueOf(1);
    const started: string[] = [];
    const big = {};
    const small = {};
    const bigTasks = ['big1', 'big2', 'big3', 'big4'].map((n) => controlledTask(started, n));
    const runs = bigTasks.map((t) => queue.run(big, never, t.run));
    const smallTask = controlledTask(started, 'small');
    runs.push(queue.run(small, never, smallTask.run));
    await flush();
    bigTasks[0].finish();
    await flush();
    // The small lookup's turn comes before the big one's second chunk.
    expect(started).toEqual(['big1', 'small']);
    smallTask.finish();
    await flush();
    expect(started).toEqual(['big1', 'small', 'big2']);
    for (const t of bigTasks) t.finish();
    await Promise.all(runs);
  });

  it('lets a waiter whose deadline passes leave the queue, and the rest move up', async () => {
    const { queue } = queueOf(1);
    const started: string[] = [];
    const first = controlledTask(started, 'first');
    const running = queue.run({}, never, first.run);
    const deadline = new AbortController();
    const gaveUp = queue.run({}, deadline.signal, () => Promise.resolve());
    const third = controlledTask(started, 'third');
    const waiting = queue.run({}, never, third.run);
    deadline.abort(new Error('deadline'));
    await expect(gaveUp).rejects.toThrow('deadline');
    expect(queue.waiting).toBe(1);
    first.finish();
    await flush();
    expect(started).toEqual(['first', 'third']);
    third.finish();
    await Promise.all([running, waiting]);
  });

  it('follows the adaptive limit: fewer at once after Graph throttled', async () => {
    const { queue, limit } = queueOf(3);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((n) => controlledTask(started, n));
    const runs = tasks.map((t) => queue.run({}, never, t.run));
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    limit.throttled(3, 0); // now 2
    tasks[0].finish();
    await flush();
    // 2 still running, which is the new limit: no one else starts.
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[1].finish();
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    for (const t of tasks) t.finish();
    await Promise.all(runs);
  });

  it('never runs more than the limit and runs everything, whatever the mix of lookups', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }),
        async (ceiling, flowOfTask) => {
          const { queue } = queueOf(ceiling);
          const flows = [{}, {}, {}, {}];
          let running = 0;
          let peak = 0;
          await Promise.all(
            flowOfTask.map((f) =>
              queue.run(flows[f], never, async () => {
                running += 1;
                peak = Math.max(peak, running);
                await flush();
                running -= 1;
              }),
            ),
          );
          expect(peak).toBeLessThanOrEqual(ceiling);
          expect(queue.inFlight).toBe(0);
          expect(queue.waiting).toBe(0);
        },
      ),
      { numRuns: 50 },
    );
  });
});
