import { backoffDelays, MAX_BACKOFF_MS, retryWithBackoff } from './retry-schedule';

describe('backoffDelays', () => {
  it('doubles from the first delay, one fewer than the attempts, capped', () => {
    expect(backoffDelays(5, 1000)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelays(1, 1000)).toEqual([]);
    expect(backoffDelays(4, 20_000)).toEqual([20_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
  });
});

describe('retryWithBackoff', () => {
  const noSleep = (slept: number[]) => (ms: number) => {
    slept.push(ms);
    return Promise.resolve();
  };

  it('retries until success, sleeping the scheduled delays', async () => {
    const slept: number[] = [];
    const retries: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      () => (++calls < 3 ? Promise.reject(new Error(`fail ${calls}`)) : Promise.resolve('ok')),
      {
        delaysMs: [10, 20, 40],
        sleep: noSleep(slept),
        onRetry: (_e, attempt) => retries.push(attempt),
      },
    );
    expect(result).toBe('ok');
    expect(slept).toEqual([10, 20]);
    expect(retries).toEqual([1, 2]);
  });

  it('rethrows the last error when the delays run out', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(() => Promise.reject(new Error(`fail ${++calls}`)), {
        delaysMs: [1, 1],
        sleep: noSleep([]),
      }),
    ).rejects.toThrow('fail 3');
  });

  it('stops at once on an error retrying cannot fix', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(() => Promise.reject(new Error(`fail ${++calls}`)), {
        delaysMs: [1, 1],
        sleep: noSleep([]),
        isRetryable: () => false,
      }),
    ).rejects.toThrow('fail 1');
  });
});
