import { mailboxPolicy, type MailboxPolicy, type TenantRoute } from '@app/availability';
import type { RelayConfig } from '@app/config';
import type { RelayCaller } from '@app/request-context';
import { impersonatedAccount } from './soap/impersonated-account';
import type { XmlElement } from './xml/xml-element';

/**
 * The mailbox policy for one EWS request: the tenants' routes and ROLE_ACCOUNT_DOMAIN_ONLY, for
 * the role account the request impersonates and the tenants its caller's Google client may see.
 * Every operation that shows mailboxes (GetUserAvailability, GetRoomLists, GetRooms) judges them
 * by this one.
 */
export function policyForRequest(
  routes: readonly TenantRoute[],
  config: RelayConfig,
  header: XmlElement | undefined,
  caller: RelayCaller | undefined,
): MailboxPolicy {
  return mailboxPolicy(
    { tenants: routes, roleAccountDomainOnly: config.roleAccountDomainOnly },
    { roleAccount: impersonatedAccount(header), tenants: tenantsOf(caller) },
  );
}

/**
 * The tenants a caller may look up: a tenant's own Google client sees that tenant only, the
 * global client every tenant (undefined). No verified caller sees no tenant: the bearer guard
 * runs before every EWS route, so a lookup without one is a wiring fault, and fails closed.
 */
export function tenantsOf(caller: RelayCaller | undefined): ReadonlySet<string> | undefined {
  if (caller === undefined) return new Set();
  return caller.tenant === undefined ? undefined : new Set([caller.tenant]);
}
