import { domainOf, mailboxKey } from '@app/availability';

/**
 * Query planning: which mailboxes of a lookup go to Graph, and in which getSchedule calls.
 * Pure, so the rules that decide how many Graph calls a lookup costs are tested directly.
 */

export interface MailboxSelection {
  /** Distinct mailboxes that may be asked of Graph, first spelling kept, in first-seen order. */
  readonly allowed: readonly string[];
  /** Distinct mailboxes outside ALLOWED_DOMAINS: answered "not found" without a Graph call. */
  readonly outsideAllowedDomains: readonly string[];
}

/**
 * Removes duplicates (case-insensitively) and separates the mailboxes the relay answers for
 * from the rest. An empty `allowedDomains` allows every domain; otherwise a mailbox's domain
 * must be one of them exactly (a subdomain is a different mail domain).
 */
export function selectMailboxes(
  mailboxes: readonly string[],
  allowedDomains: readonly string[],
): MailboxSelection {
  const allowedSet = new Set(allowedDomains.map(mailboxKey));
  const seen = new Set<string>();
  const allowed: string[] = [];
  const outsideAllowedDomains: string[] = [];
  for (const address of mailboxes) {
    const key = mailboxKey(address);
    if (seen.has(key)) continue;
    seen.add(key);
    const domain = domainOf(address);
    const inScope = allowedSet.size === 0 || (domain !== undefined && allowedSet.has(domain));
    (inScope ? allowed : outsideAllowedDomains).push(address.trim());
  }
  return { allowed, outsideAllowedDomains };
}

/** One getSchedule call: the mailbox named in the URL and the schedules asked for. */
export interface ScheduleChunk {
  readonly anchor: string;
  readonly schedules: readonly string[];
}

/**
 * Splits mailboxes into the fewest getSchedule calls of at most `maxPerChunk` schedules. The anchor of each
 * call (the `/users/{anchor}` of the URL) is its first schedule: Graph throttles per app and
 * anchor mailbox, so one fixed anchor for all traffic would throttle early, while the first
 * address of each chunk spreads the load and is certainly a mailbox we are asking about.
 */
export function planScheduleChunks(
  mailboxes: readonly string[],
  maxPerChunk: number,
): ScheduleChunk[] {
  if (!Number.isInteger(maxPerChunk) || maxPerChunk < 1) {
    throw new RangeError(`maxPerChunk must be a positive integer, got ${maxPerChunk}`);
  }
  const seen = new Set<string>();
  const distinct = mailboxes.filter((address) => {
    const key = mailboxKey(address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // As few calls as the limit allows, of even size: the lookup waits for its slowest call and a
  // call's latency grows with its schedules, so 45 mailboxes go out as 15+15+15, not 20+20+5.
  const count = Math.ceil(distinct.length / maxPerChunk);
  const chunks: ScheduleChunk[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.ceil((distinct.length - start) / (count - i));
    const schedules = distinct.slice(start, start + size);
    chunks.push({ anchor: schedules[0], schedules });
    start += size;
  }
  return chunks;
}
