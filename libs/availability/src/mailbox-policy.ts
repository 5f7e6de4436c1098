import { domainOf } from './mailbox-address';

/**
 * The one mailbox policy: which mailboxes a caller may see, through which tenant, and with how
 * much detail. Applied before any provider is asked, the same way for Graph and the demo; pure
 * (the caller passes in the routes and who is asking).
 *
 * - A mailbox goes to the tenant whose domains hold its domain; a domain of no tenant is answered
 *   like an unknown address and reaches no provider. A tenant with no domains listed (the
 *   single-tenant configuration without ALLOWED_DOMAINS) takes every domain.
 * - A caller whose token was issued to one tenant's own Google client (Google's "Additional
 *   Exchange endpoints", one per domain, each with its own credentials) sees that tenant's
 *   mailboxes only; another tenant's are answered "no free/busy access". Tokens of the global
 *   Google client see every tenant.
 * - ROLE_ACCOUNT_DOMAIN_ONLY: Google sends the role account of the endpoint it called
 *   (t:ExchangeImpersonation), and routes lookups by the looked-up address's domain; a caller
 *   impersonating a role account of domain A asking for domain B is not Google's routing, so it
 *   gets what an unknown address gets. A request without a role account is not restricted
 *   (docs/protocol.md section 2: the relay must not require the header).
 * - EVENT_DETAILS (per tenant): `false`, `true`, or a list of domains (Google's "Show event
 *   details" is a setting of each Interop endpoint).
 */

export interface TenantRoute {
  readonly name: string;
  /** The tenant's email domains, lower case; empty = every domain. */
  readonly domains: readonly string[];
  /** Subject/location in Detailed views: for no domain, every domain, or the listed ones. */
  readonly eventDetails: boolean | readonly string[];
}

export interface MailboxPolicySettings {
  readonly tenants: readonly TenantRoute[];
  readonly roleAccountDomainOnly: boolean;
}

/** Who is asking, as far as the policy cares. */
export interface PolicyCaller {
  /** The role account the SOAP header impersonates, if any. */
  readonly roleAccount?: string;
  /** The tenants the caller's Google client is for; undefined = every tenant. */
  readonly tenants?: ReadonlySet<string>;
}

export type MailboxVerdict =
  | { readonly kind: 'lookup'; readonly tenant: string; readonly details: boolean }
  | {
      readonly kind: 'refused';
      readonly reason: 'recipientNotFound' | 'accessDenied';
      /** Why, for the log (never shown as a different answer to the caller). */
      readonly why: 'notAnAddress' | 'noTenant' | 'otherRoleDomain' | 'otherTenant';
    };

/** Something that could be an SMTP address: anything else cannot be on any calendar system. */
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function isPlausibleAddress(address: string): boolean {
  return address.length <= 320 && ADDRESS.test(address);
}

export interface MailboxPolicy {
  verdictFor(address: string): MailboxVerdict;
  /**
   * The tenants whose mailboxes this caller can see any of, in configuration order: the ones
   * a directory (room lists) is worth asking. Every mailbox shown must still pass verdictFor.
   */
  tenantsInView(): readonly string[];
}

export function mailboxPolicy(
  settings: MailboxPolicySettings,
  caller: PolicyCaller = {},
): MailboxPolicy {
  const byDomain = new Map<string, TenantRoute>();
  let everyDomain: TenantRoute | undefined;
  for (const tenant of settings.tenants) {
    if (tenant.domains.length === 0) everyDomain ??= tenant;
    for (const domain of tenant.domains) byDomain.set(domain, tenant);
  }
  const detailDomains = new Map<TenantRoute, ReadonlySet<string> | boolean>(
    settings.tenants.map((t) => [
      t,
      typeof t.eventDetails === 'boolean' ? t.eventDetails : new Set(t.eventDetails),
    ]),
  );
  const roleDomain =
    settings.roleAccountDomainOnly && caller.roleAccount !== undefined
      ? // A role account that is no address (a SID) names no domain: nothing is in its scope.
        (domainOf(caller.roleAccount) ?? '')
      : undefined;
  const roleTenant =
    roleDomain === undefined ? undefined : (byDomain.get(roleDomain) ?? everyDomain);
  return {
    tenantsInView() {
      return settings.tenants
        .filter((t) => caller.tenants === undefined || caller.tenants.has(t.name))
        .filter((t) => roleDomain === undefined || t === roleTenant)
        .map((t) => t.name);
    },
    verdictFor(address) {
      if (!isPlausibleAddress(address)) {
        return { kind: 'refused', reason: 'recipientNotFound', why: 'notAnAddress' };
      }
      const domain = domainOf(address) ?? '';
      const tenant = byDomain.get(domain) ?? everyDomain;
      if (tenant === undefined) {
        return { kind: 'refused', reason: 'recipientNotFound', why: 'noTenant' };
      }
      if (roleDomain !== undefined && domain !== roleDomain) {
        return { kind: 'refused', reason: 'recipientNotFound', why: 'otherRoleDomain' };
      }
      if (caller.tenants !== undefined && !caller.tenants.has(tenant.name)) {
        return { kind: 'refused', reason: 'accessDenied', why: 'otherTenant' };
      }
      const details = detailDomains.get(tenant);
      return {
        kind: 'lookup',
        tenant: tenant.name,
        details: typeof details === 'boolean' ? details : details!.has(domain),
      };
    },
  };
}
