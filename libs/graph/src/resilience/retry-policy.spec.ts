import fc from 'fast-check';
import { decideRetry, fullJitterBackoff, type RetryLimits } from './retry-policy';

const limits: RetryLimits = {
  maxAttempts: 4,
  maxThrottledAttempts: 8,
  backoffBaseMs: 200,
  backoffCapMs: 2000,
  minAttemptMs: 150,
};
const now = 1_700_000_000_000;
const at = (attempt: number, msLeft: number, random = () => 0.5) => ({
  attempt,
  nowMs: now,
  deadlineAtMs: now + msLeft,
  random,
});

describe('decideRetry', () => {
  it("waits exactly as long as Graph's Retry-After says when the deadline allows", () => {
    expect(decideRetry({ kind: 'throttled', retryAfterMs: 1000 }, at(1, 8000), limits)).toEqual({
      retry: true,
      delayMs: 1000,
    });
  });

  it('gives up at once, reporting the back-off, when Retry-After reaches past the deadline', () => {
    expect(decideRetry({ kind: 'throttled', retryAfterMs: 30_000 }, at(1, 8000), limits)).toEqual({
      retry: false,
      why: 'deadline',
      backOffMs: 30_000,
    });
    // Room for the wait but not for the call after it.
    expect(decideRetry({ kind: 'throttled', retryAfterMs: 1000 }, at(1, 1100), limits).retry).toBe(
      false,
    );
  });

  it('backs off with jitter when a 429/503 has no Retry-After', () => {
    expect(
      decideRetry(
        { kind: 'throttled' },
        at(1, 8000, () => 0.5),
        limits,
      ),
    ).toEqual({
      retry: true,
      delayMs: 100,
    });
  });

  it('retries transient failures with growing, capped, jittered delays', () => {
    const delays = [1, 2, 3].map((attempt) =>
      decideRetry(
        { kind: 'transient' },
        at(attempt, 60_000, () => 0.999),
        limits,
      ),
    );
    expect(delays).toEqual([
      { retry: true, delayMs: 199 },
      { retry: true, delayMs: 399 },
      { retry: true, delayMs: 799 },
    ]);
    expect(fullJitterBackoff(10, () => 0.999, limits)).toBe(1998);
  });

  it('stops after the bounded number of attempts', () => {
    expect(decideRetry({ kind: 'transient' }, at(4, 60_000), limits)).toEqual({
      retry: false,
      why: 'attempts',
    });
    expect(
      decideRetry({ kind: 'throttled', retryAfterMs: 1 }, at(8, 60_000), limits),
    ).toMatchObject({
      retry: false,
      why: 'attempts',
    });
  });

  it('never schedules a retry that would start too close to the deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, msLeft, retryAfterMs, r) => {
          const failure =
            retryAfterMs === undefined
              ? { kind: 'transient' as const }
              : { kind: 'throttled' as const, retryAfterMs };
          const decision = decideRetry(
            failure,
            at(attempt, msLeft, () => r),
            limits,
          );
          if (decision.retry) {
            expect(attempt).toBeLessThan(
              failure.kind === 'throttled' ? limits.maxThrottledAttempts : limits.maxAttempts,
            );
            expect(decision.delayMs).toBeGreaterThanOrEqual(0);
            expect(now + decision.delayMs + limits.minAttemptMs).toBeLessThanOrEqual(now + msLeft);
          }
        },
      ),
    );
  });
});

describe('attempt budgets', () => {
  it('gives throttling its own, larger budget, so a burst shed by Graph is waited out', () => {
    const throttled = { kind: 'throttled' as const };
    expect(decideRetry(throttled, at(4, 8000), limits).retry).toBe(true);
    expect(decideRetry(throttled, at(7, 8000), limits).retry).toBe(true);
    expect(decideRetry(throttled, at(8, 8000), limits)).toMatchObject({
      retry: false,
      why: 'attempts',
    });
    expect(decideRetry({ kind: 'transient' }, at(4, 8000), limits)).toEqual({
      retry: false,
      why: 'attempts',
    });
  });
});
