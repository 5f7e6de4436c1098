import { mailboxPolicy, type MailboxPolicy, type TenantRoute } from '@app/availability';
import type { RelayConfig } from '@app/config';
import { impersonatedAccount } from './soap/impersonated-account';
import type { XmlElement } from './xml/xml-element';

/**
 * The mailbox policy for one EWS request: the tenants' routes and ROLE_ACCOUNT_DOMAIN_ONLY,
 * for the role account the request impersonates. Every operation that shows mailboxes
 * (GetUserAvailability, GetRoomLists, GetRooms) judges them by this one.
 */
export function policyForRequest(
  routes: readonly TenantRoute[],
  config: RelayConfig,
  header: XmlElement | undefined,
): MailboxPolicy {
  return mailboxPolicy(
    { tenants: routes, roleAccountDomainOnly: config.roleAccountDomainOnly },
    { roleAccount: impersonatedAccount(header) },
  );
}
