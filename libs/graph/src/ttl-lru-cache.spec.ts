import fc from 'fast-check';
import { TtlLruCache } from './ttl-lru-cache';

function cacheAt(maxEntries: number, ttlMs: number) {
  let now = 0;
  const cache = new TtlLruCache<string>({ maxEntries, ttlMs }, () => now);
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('TtlLruCache', () => {
  it('serves an entry until its time to live has passed, then forgets it', () => {
    const { cache, advance } = cacheAt(10, 60_000);
    cache.set('a', 'A');
    advance(59_999);
    expect(cache.get('a')).toBe('A');
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not extend the time to live on reads', () => {
    const { cache, advance } = cacheAt(10, 1_000);
    cache.set('a', 'A');
    advance(600);
    expect(cache.get('a')).toBe('A');
    advance(600);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const { cache } = cacheAt(2, 60_000);
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
  });

  it('replaces an entry and restarts its time to live', () => {
    const { cache, advance } = cacheAt(2, 1_000);
    cache.set('a', 'old');
    advance(900);
    cache.set('a', 'new');
    advance(900);
    expect(cache.get('a')).toBe('new');
    expect(cache.size).toBe(1);
  });

  it('is off when either limit is 0', () => {
    for (const [max, ttl] of [
      [0, 60_000],
      [10, 0],
    ]) {
      const { cache } = cacheAt(max, ttl);
      cache.set('a', 'A');
      expect(cache.get('a')).toBeUndefined();
      expect(cache.enabled).toBe(false);
    }
  });

  it('answers every read as a plain LRU-with-expiry model does, and never holds more than maxEntries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 400 })),
        ),
        (max, ops) => {
          const { cache, advance } = cacheAt(max, 1_000);
          // The reference: entries in least-recently-used-first order, each with its expiry.
          const model: Array<{ key: string; value: string; expiresAt: number }> = [];
          let now = 0;
          let version = 0;
          for (const [isSet, k, wait] of ops) {
            advance(wait);
            now += wait;
            const key = `k${k}`;
            const at = model.findIndex((e) => e.key === key);
            if (isSet) {
              // Every write is a new value, so a stale or another key's value would show.
              const value = `${key}#${(version += 1)}`;
              cache.set(key, value);
              if (at >= 0) model.splice(at, 1);
              model.push({ key, value, expiresAt: now + 1_000 });
              if (model.length > max) model.shift();
            } else {
              const entry = at >= 0 ? model[at] : undefined;
              const live = entry !== undefined && entry.expiresAt > now;
              if (entry !== undefined) {
                model.splice(at, 1);
                if (live) model.push(entry);
              }
              expect(cache.get(key)).toBe(live ? entry.value : undefined);
            }
            expect(cache.size).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });
});
