import type { MailboxAvailability } from '@app/availability';

/**
 * Which mailboxes a caller may see, and with how much detail. Pure: the operation passes in the
 * configuration and the role account the SOAP header impersonates.
 *
 * - EVENT_DETAILS is `false`, `true`, or a list of domains: Google's "Show event details" is a
 *   setting of each Interop endpoint, so an admin serving several domains may want it for some.
 * - ROLE_ACCOUNT_DOMAIN_ONLY: Google sends the role account of the endpoint it called
 *   (t:ExchangeImpersonation), and routes lookups by the looked-up address's domain; a caller
 *   impersonating a role account of domain A asking for domain B is not Google's routing, so
 *   it gets what an unknown address gets. A request without a role account is not restricted
 *   (docs/protocol.md section 2: the relay must not require the header).
 */

export interface MailboxPolicySettings {
  readonly eventDetails: boolean | readonly string[];
  readonly roleAccountDomainOnly: boolean;
}

export interface MailboxPolicy {
  /** Whether subject/location may be shown for this mailbox (if the view asks for them). */
  readonly detailsAllowedFor: (address: string) => boolean;
  /** Whether this mailbox must be answered as unknown without asking the provider. */
  readonly outOfScope: (address: string) => boolean;
}

/** The lower-cased domain of an address; undefined when it has none. */
export function domainOfAddress(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

export function mailboxPolicy(
  settings: MailboxPolicySettings,
  roleAccount: string | undefined,
): MailboxPolicy {
  const details = settings.eventDetails;
  const detailDomains = typeof details === 'boolean' ? undefined : new Set(details);
  const roleDomain =
    settings.roleAccountDomainOnly && roleAccount !== undefined
      ? // A role account that is no address (a SID) names no domain: nothing is in its scope.
        (domainOfAddress(roleAccount) ?? '')
      : undefined;
  return {
    detailsAllowedFor: (address) => {
      if (detailDomains === undefined) return details === true;
      const domain = domainOfAddress(address);
      return domain !== undefined && detailDomains.has(domain);
    },
    outOfScope: (address) => roleDomain !== undefined && domainOfAddress(address) !== roleDomain,
  };
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
