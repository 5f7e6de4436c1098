import { SlidingWindowLog } from './sliding-window-log';
import { TokenAttemptLimiter, type TokenAttemptLimits } from './token-attempt-limiter';

const LIMITS: TokenAttemptLimits = {
  requestsPerMinutePerAddress: 5,
  failuresPerAddress: 3,
  failuresPerClient: 4,
  lockoutMs: 10_000,
  maxTrackedKeys: 100,
};

function limiterAt(start = 1_000_000, limits: TokenAttemptLimits = LIMITS) {
  const clock = { now: start };
  const limiter = new TokenAttemptLimiter(limits, () => clock.now);
  return { clock, limiter };
}

const GOOGLE = { address: '74.125.88.5', clientId: 'google' };
const ATTACKER = { address: '203.0.113.9', clientId: 'google' };

describe('SlidingWindowLog', () => {
  it('counts events inside the window only, and says when the next one fits', () => {
    const log = new SlidingWindowLog(2, 1000, 10);
    expect(log.add('k', 0)).toBe(1);
    expect(log.add('k', 400)).toBe(2);
    expect(log.msUntilRoom('k', 500)).toBe(500);
    expect(log.count('k', 999)).toBe(2);
    expect(log.count('k', 1000)).toBe(1);
    expect(log.msUntilRoom('k', 1000)).toBe(0);
    expect(log.count('k', 1400)).toBe(0);
  });

  it('keeps at most maxKeys keys, forgetting the least recently touched', () => {
    const log = new SlidingWindowLog(1, 60_000, 3);
    for (let i = 0; i < 1000; i += 1) log.add(`spoofed-${i}`, i);
    expect(log.size).toBe(3);
    log.add('a', 2000);
    log.add('b', 2001);
    log.add('c', 2002);
    log.add('a', 2003); // touched again: 'b' is now the oldest
    log.add('d', 2004);
    expect(log.count('a', 2005)).toBe(1);
    expect(log.count('b', 2005)).toBe(0);
    expect(log.count('d', 2005)).toBe(1);
  });

  it('keeps at most `limit` times per key however many events arrive', () => {
    const log = new SlidingWindowLog(3, 60_000, 1);
    for (let i = 0; i < 10_000; i += 1) log.add('k', i);
    expect(log.count('k', 10_000)).toBe(3);
  });
});

describe('TokenAttemptLimiter', () => {
  it('lets an hourly token request through forever (Google replicas)', () => {
    const { clock, limiter } = limiterAt();
    for (let hour = 0; hour < 48; hour += 1) {
      expect(limiter.admit(GOOGLE)).toEqual({ allowed: true });
      limiter.recordSuccess(GOOGLE);
      clock.now += 3_600_000;
    }
  });

  it('answers over-rate requests of one address with a Retry-After until the minute slides', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 5; i += 1) {
      expect(limiter.admit(GOOGLE).allowed).toBe(true);
      clock.now += 1000;
    }
    expect(limiter.admit(GOOGLE)).toEqual({
      allowed: false,
      reason: 'address_rate',
      retryAfterSeconds: 55,
    });
    // Other addresses are not affected.
    expect(limiter.admit({ address: '74.125.88.6', clientId: 'google' }).allowed).toBe(true);
    clock.now += 55_000;
    expect(limiter.admit(GOOGLE).allowed).toBe(true);
  });

  it('locks an address out after repeated failures, even for the right secret, until it ends', () => {
    const { clock, limiter } = limiterAt();
    const stranger = { address: '198.51.100.7' }; // an unknown client id is not tracked per id
    expect(limiter.recordFailure(stranger)).toEqual([]);
    expect(limiter.recordFailure(stranger)).toEqual([]);
    expect(limiter.recordFailure(stranger)).toEqual([
      { dimension: 'address', key: stranger.address, untilMs: clock.now + 10_000 },
    ]);
    clock.now += 4_000;
    expect(limiter.admit({ ...stranger, clientId: 'google' })).toEqual({
      allowed: false,
      reason: 'address_locked',
      retryAfterSeconds: 6,
    });
    clock.now += 6_000;
    expect(limiter.admit({ ...stranger, clientId: 'google' }).allowed).toBe(true);
    // The lockout consumed the failures: a new lockout needs a new series.
    expect(limiter.recordFailure(stranger)).toEqual([]);
  });

  it('locks the client id out when failures come from many addresses', () => {
    const { clock, limiter } = limiterAt();
    const started = [1, 2, 3, 4].flatMap((n) =>
      limiter.recordFailure({ address: `203.0.113.${n}`, clientId: 'google' }),
    );
    expect(started).toEqual([{ dimension: 'client', key: 'google', untilMs: clock.now + 10_000 }]);
    // Google itself, from a clean address, is refused while the lockout lasts.
    expect(limiter.admit(GOOGLE)).toMatchObject({ allowed: false, reason: 'client_locked' });
    // A request that names no tracked client id is judged by its address alone.
    expect(limiter.admit({ address: GOOGLE.address }).allowed).toBe(true);
    clock.now += 10_000;
    expect(limiter.admit(GOOGLE).allowed).toBe(true);
  });

  it('forgets failures older than the lockout window', () => {
    const { clock, limiter } = limiterAt();
    limiter.recordFailure(ATTACKER);
    limiter.recordFailure(ATTACKER);
    clock.now += 10_001;
    expect(limiter.recordFailure(ATTACKER)).toEqual([]);
    expect(limiter.admit(ATTACKER).allowed).toBe(true);
  });

  it("clears an address's failures when it authenticates (a typo is not an attack)", () => {
    const { limiter } = limiterAt();
    limiter.recordFailure({ address: GOOGLE.address });
    limiter.recordFailure({ address: GOOGLE.address });
    limiter.recordSuccess(GOOGLE);
    expect(limiter.recordFailure({ address: GOOGLE.address })).toEqual([]);
  });

  it('does not let refused requests extend their own refusal', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 5; i += 1) limiter.admit(ATTACKER);
    for (let i = 0; i < 100; i += 1) limiter.admit(ATTACKER);
    clock.now += 60_000;
    expect(limiter.admit(ATTACKER).allowed).toBe(true);
  });
});
