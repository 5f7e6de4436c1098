import { AdaptiveCallLimit } from './adaptive-call-limit';

describe('AdaptiveCallLimit', () => {
  const settings = { ceiling: 4, recoverAfterMs: 30_000 };

  it('starts at the configured ceiling and stays there while Graph is quiet', () => {
    const limit = new AdaptiveCallLimit(settings);
    expect(limit.current(0)).toBe(4);
    expect(limit.current(10 * 60_000)).toBe(4);
  });

  it('goes down at once to one less than the calls in flight when Graph refused', () => {
    const limit = new AdaptiveCallLimit(settings);
    expect(limit.throttled(4, 1_000)).toBe(3);
    // Another refusal while 3 run: Graph can take fewer still (someone else holds slots).
    expect(limit.throttled(3, 1_200)).toBe(2);
    // A refusal of a call that was alone: never below 1.
    expect(limit.throttled(1, 1_300)).toBe(1);
    expect(limit.current(1_300)).toBe(1);
  });

  it('does not go down for a refusal of a call started before it was lowered', () => {
    const limit = new AdaptiveCallLimit(settings);
    expect(limit.throttled(4, 1_000)).toBe(3);
    // A late answer from when 4 were running: 3 is already below that.
    expect(limit.throttled(4, 1_050)).toBeUndefined();
    expect(limit.current(1_050)).toBe(3);
  });

  it('steps back up by one per quiet period after the last refusal, to the ceiling', () => {
    const limit = new AdaptiveCallLimit(settings);
    limit.throttled(2, 0);
    expect(limit.current(29_999)).toBe(1);
    expect(limit.current(30_000)).toBe(2);
    expect(limit.current(59_999)).toBe(2);
    expect(limit.current(90_000)).toBe(4);
    expect(limit.current(600_000)).toBe(4);
  });

  it('restarts the quiet period at every refusal, even one that lowers nothing', () => {
    const limit = new AdaptiveCallLimit(settings);
    limit.throttled(2, 0);
    limit.throttled(3, 20_000);
    expect(limit.current(40_000)).toBe(1);
    expect(limit.current(50_000)).toBe(2);
  });

  it('refuses a ceiling that is not a positive integer', () => {
    expect(() => new AdaptiveCallLimit({ ceiling: 0, recoverAfterMs: 1 })).toThrow(RangeError);
    expect(() => new AdaptiveCallLimit({ ceiling: 2.5, recoverAfterMs: 1 })).toThrow(RangeError);
  });
});
