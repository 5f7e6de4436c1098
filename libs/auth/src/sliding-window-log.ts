/**
 * Per-key sliding windows of event times, bounded in keys and in events per key. Pure (the time
 * is always passed in), so the token endpoint's limiter is tested without waiting.
 *
 * Each key keeps at most `limit` timestamps: a key is "full" once `limit` events fall inside
 * the last `windowMs`, and older events are irrelevant to that question. The number of keys is
 * capped too; the least recently touched key is forgotten first, so a flood of new keys (one
 * per spoofed address) costs bounded memory and evicts idle keys, not busy ones.
 */
export class SlidingWindowLog {
  private readonly keys = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys: number,
  ) {
    if (limit < 1 || windowMs < 1 || maxKeys < 1) {
      throw new RangeError('limit, windowMs and maxKeys must be positive');
    }
  }

  /** How many events of `key` fall inside the window ending at `nowMs`. */
  count(key: string, nowMs: number): number {
    const times = this.keys.get(key);
    return times === undefined ? 0 : this.prune(key, times, nowMs).length;
  }

  /** Records one event; returns the count inside the window, this event included. */
  add(key: string, nowMs: number): number {
    const times = this.prune(key, this.keys.get(key) ?? [], nowMs);
    times.push(nowMs);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    // Re-inserting moves the key to the young end of the Map's insertion order (LRU).
    this.keys.delete(key);
    this.keys.set(key, times);
    while (this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next().value as string;
      this.keys.delete(oldest);
    }
    return times.length;
  }

  /**
   * Milliseconds until one more event fits under the limit again (0 when it fits now): when the
   * oldest of the `limit` events in the window leaves it.
   */
  msUntilRoom(key: string, nowMs: number): number {
    const times = this.keys.get(key);
    if (times === undefined) return 0;
    const live = this.prune(key, times, nowMs);
    if (live.length < this.limit) return 0;
    return live[live.length - this.limit] + this.windowMs - nowMs;
  }

  forget(key: string): void {
    this.keys.delete(key);
  }

  /** Keys currently held (for the memory bound's tests and nothing else). */
  get size(): number {
    return this.keys.size;
  }

  private prune(key: string, times: number[], nowMs: number): number[] {
    const cutoff = nowMs - this.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop] <= cutoff) drop += 1;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.keys.delete(key);
    return times;
  }
}
