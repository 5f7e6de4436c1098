import { AvailabilityError } from './availability-errors';
import type {
  AvailabilityResult,
  MailboxAvailability,
  MailboxFailureReason,
  UtcWindow,
} from './availability-model';
import { AvailabilityProvider } from './availability-provider';
import { mailboxKey } from './mailbox-address';
import type { MailboxPolicy, MailboxVerdict } from './mailbox-policy';

/** What the caller asked: every mailbox in request order, duplicates kept. */
export interface AvailabilityLookup {
  readonly mailboxes: readonly string[];
  readonly window: UtcWindow;
  readonly intervalMinutes: number;
  /** The view asks for event details (Detailed*); the policy decides per mailbox. */
  readonly wantDetails: boolean;
  readonly requestId?: string;
}

export interface AvailabilityLookupResult extends AvailabilityResult {
  /** The tenants asked, in the order of their first mailbox (for the audit line and metrics). */
  readonly tenants: readonly string[];
  /** Tenants that could not answer while others did: their mailboxes failed, the rest stand. */
  readonly failedTenants: readonly { readonly tenant: string; readonly error: AvailabilityError }[];
  /** Whether the policy allows details for any mailbox asked (a Detailed view then stays one). */
  readonly detailsAllowed: boolean;
}

/**
 * Answers a lookup through the one mailbox policy: refused mailboxes are answered at once (no
 * provider sees them), the rest go to the provider in one query per tenant (distinct mailboxes,
 * run together), and the answers come back in request order with duplicates kept, each spelt as
 * asked, details dropped where the policy allows none.
 *
 * One tenant's failure must not fail another's mailboxes: when several tenants are asked and some
 * of them fail as a whole (Graph refusing that tenant's app, its circuit open, throttling past the
 * deadline), their mailboxes fail one by one and the others stand. When every tenant asked fails
 * (the usual single-tenant case), the failure is the request's, as a SOAP fault.
 */
export async function lookUpAvailability(
  provider: AvailabilityProvider,
  lookup: AvailabilityLookup,
  policy: MailboxPolicy,
): Promise<AvailabilityLookupResult> {
  const verdicts = lookup.mailboxes.map((address) => policy.verdictFor(address));
  const byTenant = new Map<string, { mailboxes: string[]; seen: Set<string>; details: boolean }>();
  verdicts.forEach((verdict, i) => {
    if (verdict.kind !== 'lookup') return;
    let group = byTenant.get(verdict.tenant);
    if (group === undefined) {
      group = { mailboxes: [], seen: new Set(), details: false };
      byTenant.set(verdict.tenant, group);
    }
    const key = mailboxKey(lookup.mailboxes[i]);
    if (!group.seen.has(key)) {
      group.seen.add(key);
      group.mailboxes.push(lookup.mailboxes[i].trim());
    }
    group.details ||= verdict.details;
  });

  type TenantAnswer =
    | { readonly tenant: string; readonly result: AvailabilityResult; readonly error?: undefined }
    | { readonly tenant: string; readonly result?: undefined; readonly error: AvailabilityError };
  const answers = await Promise.all(
    [...byTenant].map(async ([tenant, group]): Promise<TenantAnswer> => {
      try {
        const result = await provider.lookup({
          tenant,
          mailboxes: group.mailboxes,
          window: lookup.window,
          intervalMinutes: lookup.intervalMinutes,
          wantDetails: lookup.wantDetails && group.details,
          requestId: lookup.requestId,
        });
        if (result.mailboxes.length !== group.mailboxes.length) {
          throw new Error(
            `Availability provider "${provider.name}" answered ${result.mailboxes.length} mailboxes for ${group.mailboxes.length} asked`,
          );
        }
        return { tenant, result };
      } catch (error) {
        if (error instanceof AvailabilityError) return { tenant, error };
        throw error;
      }
    }),
  );
  const failedTenants = answers.flatMap((a) =>
    a.error !== undefined ? [{ tenant: a.tenant, error: a.error }] : [],
  );
  if (failedTenants.length > 0 && failedTenants.length === answers.length) {
    throw failedTenants[0].error;
  }

  const results = new Map<string, MailboxAvailability>();
  let upstreamCalls = 0;
  let cacheHits = 0;
  for (const answer of answers) {
    const group = byTenant.get(answer.tenant)!;
    if (answer.result !== undefined) {
      upstreamCalls += answer.result.stats?.upstreamCalls ?? 0;
      cacheHits += answer.result.stats?.cacheHits ?? 0;
      for (const mailbox of answer.result.mailboxes)
        results.set(mailboxKey(mailbox.address), mailbox);
    } else {
      const { reason, detail } = tenantFailureOf(answer.error);
      for (const address of group.mailboxes) {
        results.set(mailboxKey(address), { address, outcome: 'failed', reason, detail });
      }
    }
  }

  const mailboxes = lookup.mailboxes.map((address, i) =>
    answerFor(address, verdicts[i], results.get(mailboxKey(address))),
  );
  return {
    mailboxes,
    stats: { upstreamCalls, cacheHits },
    tenants: [...byTenant.keys()],
    failedTenants,
    detailsAllowed: verdicts.some((v) => v.kind === 'lookup' && v.details),
  };
}

function answerFor(
  address: string,
  verdict: MailboxVerdict,
  result: MailboxAvailability | undefined,
): MailboxAvailability {
  if (verdict.kind === 'refused') {
    return { address, outcome: 'failed', reason: verdict.reason };
  }
  if (result === undefined) {
    return { address, outcome: 'failed', reason: 'generationFailed', detail: 'internal error' };
  }
  const spelt = result.address === address ? result : { ...result, address };
  return verdict.details ? spelt : withoutEventDetails(spelt);
}

/** What a mailbox of a tenant that failed as a whole is answered, while other tenants answer. */
function tenantFailureOf(error: AvailabilityError): {
  reason: MailboxFailureReason;
  detail: string;
} {
  switch (error.kind) {
    case 'throttled':
      return { reason: 'timeout', detail: 'the tenant is throttled; try again later' };
    case 'unavailable':
      return { reason: 'generationFailed', detail: 'the tenant is unavailable; try again later' };
    case 'misconfigured':
      return {
        reason: 'generationFailed',
        detail: "the relay cannot read this tenant's calendars",
      };
  }
}

/** The mailbox with its events' details dropped (free/busy and times stay). */
export function withoutEventDetails(mailbox: MailboxAvailability): MailboxAvailability {
  if (mailbox.outcome !== 'ok' || mailbox.events.every((e) => e.details === undefined)) {
    return mailbox;
  }
  return {
    ...mailbox,
    events: mailbox.events.map((e) => ({ startMs: e.startMs, endMs: e.endMs, status: e.status })),
  };
}
