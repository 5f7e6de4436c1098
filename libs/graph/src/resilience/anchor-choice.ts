import type { GraphCallOutcome } from '../wire/graph-call-outcome';
import { mailboxKey } from '@app/availability';
import { TtlLruCache } from '../ttl-lru-cache';

/**
 * Which mailbox goes in the getSchedule URL (`/users/{anchor}/calendar/getSchedule`). Graph
 * answers every schedule of the body through the anchor's mailbox, and refuses the whole call
 * when the anchor itself cannot be used:
 * - 403 `ErrorAccessDenied` "Access to OData is disabled." when an application access policy or
 *   an RBAC for Applications scope leaves the anchor out of the app's reach, although the other
 *   mailboxes of the body would be answered (microsoft-graph-docs-contrib
 *   concepts/auth-limit-mailbox-access.md, "Handling API errors");
 * - 404 `MailboxNotEnabledForRESTAPI` "REST API is not yet supported for this mailbox." for a
 *   hybrid mailbox still on premises, or one without an Exchange Online licence
 *   (microsoft-graph-docs-contrib issues #6519 and #717, O365/python-o365 issue #438);
 * - 404 `ErrorInvalidUser` for an address that is no user at all (or a distribution list).
 * Such an anchor is remembered for a while and the call is sent again through another one.
 */
export type AnchorRefusal =
  /** Outside the app's scope: the mailbox may still be answered through another anchor. */
  | 'outOfScope'
  /** On premises or unlicensed: answered through another anchor (cross-premises free/busy). */
  | 'notRestEnabled'
  /** Not a user Graph knows. */
  | 'notAUser';

/** Whether a call's outcome says its anchor cannot be used, and why. */
export function anchorRefusalOf(outcome: GraphCallOutcome): AnchorRefusal | undefined {
  if (outcome.kind !== 'httpError') return undefined;
  const code = outcome.code?.toLowerCase();
  if (outcome.status === 403) {
    // "Access is denied. Check credentials and try again." is the app lacking the permission
    // altogether: no anchor will do, and the caller treats it as misconfiguration.
    return code === 'erroraccessdenied' &&
      /access to odata is disabled/i.test(outcome.message ?? '')
      ? 'outOfScope'
      : undefined;
  }
  if (outcome.status === 404) {
    return code === 'mailboxnotenabledforrestapi' ? 'notRestEnabled' : 'notAUser';
  }
  return undefined;
}

export interface AnchorBookSettings {
  /** GRAPH_ANCHOR_MAILBOX: used for every call when set. */
  readonly configured?: string;
  /** How long a refused anchor is not tried again. */
  readonly refusedTtlMs: number;
  readonly refusedMaxEntries: number;
}

/**
 * What the relay has learnt about anchors of one app: the ones Graph refused (skipped for
 * `refusedTtlMs`, so a scoped tenant does not pay a refused call per lookup) and the last one it
 * accepted (tried when every mailbox of a chunk is refused, so a lookup of only out-of-scope or
 * on-premises mailboxes can still be answered).
 */
export class AnchorBook {
  private readonly refused: TtlLruCache<AnchorRefusal>;
  private lastAccepted?: string;

  constructor(private readonly settings: AnchorBookSettings) {
    this.refused = new TtlLruCache({
      maxEntries: settings.refusedMaxEntries,
      ttlMs: settings.refusedTtlMs,
    });
  }

  get configured(): string | undefined {
    return this.settings.configured;
  }

  /**
   * The anchors to try for these schedules, best first: the configured one alone when set;
   * otherwise the schedules themselves (not refused lately; the first spreads the load over
   * mailboxes, which Graph also limits per app and mailbox), then the last anchor Graph accepted.
   */
  candidatesFor(schedules: readonly string[]): string[] {
    if (this.settings.configured !== undefined) return [this.settings.configured];
    const candidates = schedules.filter((s) => this.refused.get(mailboxKey(s)) === undefined);
    const last = this.lastAccepted;
    if (last !== undefined && !candidates.some((c) => mailboxKey(c) === mailboxKey(last))) {
      candidates.push(last);
    }
    return candidates;
  }

  /** Why Graph refused `address` as anchor lately, if it did. */
  refusalOf(address: string): AnchorRefusal | undefined {
    return this.refused.get(mailboxKey(address));
  }

  refuse(address: string, why: AnchorRefusal): void {
    this.refused.set(mailboxKey(address), why);
    if (this.lastAccepted !== undefined && mailboxKey(this.lastAccepted) === mailboxKey(address)) {
      this.lastAccepted = undefined;
    }
  }

  accept(address: string): void {
    this.lastAccepted = address;
  }
}
