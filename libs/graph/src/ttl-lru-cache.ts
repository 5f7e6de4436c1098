/**
 * A bounded cache whose entries expire: at most `maxEntries` (the least recently used goes
 * first) and none older than `ttlMs`. Either limit at 0 turns the cache off. The clock is
 * injected; expiry is checked on read, so no timers keep the process alive.
 */
export class TtlLruCache<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used
  // entry first.
  private readonly entries = new Map<string, { readonly value: V; readonly expiresAtMs: number }>();

  constructor(
    private readonly options: { readonly maxEntries: number; readonly ttlMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.options.maxEntries > 0 && this.options.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAtMs <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    if (!this.enabled) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
