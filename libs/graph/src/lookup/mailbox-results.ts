import { mailboxKey, type AvailabilityQuery, type MailboxAvailability } from '@app/availability';
import { TtlLruCache } from '../ttl-lru-cache';

/** Results worth remembering: what the mailbox *is*, not how one call went. */
function cacheable(result: MailboxAvailability): boolean {
  return (
    result.outcome === 'ok' ||
    result.reason === 'recipientNotFound' ||
    result.reason === 'accessDenied'
  );
}

/** A mailbox's result for a lookup: remembered, being fetched by another lookup, or neither. */
export type KnownResult =
  | { readonly kind: 'cached'; readonly result: MailboxAvailability }
  | { readonly kind: 'inFlight'; readonly result: Promise<MailboxAvailability> };

/**
 * One app's per-mailbox results: a short-lived cache (CACHE_TTL_SECONDS, CACHE_MAX_ENTRIES) and
 * the results being fetched right now, which identical lookups join instead of asking Graph
 * again. Keyed by mailbox, window, interval and detail level, so a free/busy-only lookup never
 * gets (or stores) details fetched for another caller.
 */
export class MailboxResults {
  private readonly cache: TtlLruCache<MailboxAvailability>;
  private readonly inFlight = new Map<string, Promise<MailboxAvailability>>();

  constructor(settings: { readonly maxEntries: number; readonly ttlMs: number }) {
    this.cache = new TtlLruCache(settings);
  }

  keyOf(address: string, query: AvailabilityQuery): string {
    const { startMs, endMs } = query.window;
    return `${mailboxKey(address)}|${startMs}|${endMs}|${query.intervalMinutes}|${query.wantDetails ? 'detailed' : 'freebusy'}`;
  }

  find(key: string): KnownResult | undefined {
    const cached = this.cache.get(key);
    if (cached !== undefined) return { kind: 'cached', result: cached };
    const joined = this.inFlight.get(key);
    return joined === undefined ? undefined : { kind: 'inFlight', result: joined };
  }

  /** Lets identical lookups join this result while it is fetched; caches it once known. */
  track(key: string, result: Promise<MailboxAvailability>): void {
    this.inFlight.set(key, result);
    result
      .then(
        (value) => {
          if (cacheable(value)) this.cache.set(key, value);
        },
        () => undefined,
      )
      .finally(() => {
        if (this.inFlight.get(key) === result) this.inFlight.delete(key);
      });
  }
}
