import { domainOf, mailboxKey } from '@app/availability';
import type { RelayConfig, TenantSettings } from '@app/config';

/**
 * Which tenant config-check asks about each `--address`: the tenant whose DOMAINS hold the
 * address's domain, as the relay routes a mailbox (libs/availability mailbox-policy.ts). Without
 * TENANTS the one tenant gets every address, with a warning for a domain outside
 * ALLOWED_DOMAINS (the relay would answer it "not found"). Pure.
 */

export interface AddressPlan {
  /** Per tenant (by name, in the configuration's order) the addresses to try, each once. */
  readonly byTenant: ReadonlyMap<string, readonly string[]>;
  /** Addresses no tenant serves, each with why (with TENANTS: check fails for them). */
  readonly unrouted: readonly { readonly address: string; readonly reason: string }[];
  /** Without TENANTS: addresses tried although the relay would not ask Graph for them. */
  readonly warnings: readonly string[];
}

export function planAddresses(config: RelayConfig, addresses: readonly string[]): AddressPlan {
  const byTenant = new Map<string, string[]>(config.tenants.map((t) => [t.name, []]));
  const unrouted: { address: string; reason: string }[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const multiTenant = config.graph === undefined;
  for (const address of addresses) {
    if (seen.has(mailboxKey(address))) continue;
    seen.add(mailboxKey(address));
    const domain = domainOf(address);
    if (domain === undefined) {
      unrouted.push({ address, reason: 'is not an email address (someone@domain)' });
      continue;
    }
    if (!multiTenant) {
      const only = config.tenants[0];
      if (only === undefined) continue;
      if (only.domains.length > 0 && !only.domains.includes(domain)) {
        warnings.push(
          `${domain} is not in ALLOWED_DOMAINS: the relay answers ${address} "not found" without asking Graph`,
        );
      }
      byTenant.get(only.name)!.push(address);
      continue;
    }
    const tenant = config.tenants.find((t) => t.domains.includes(domain));
    if (tenant === undefined) {
      unrouted.push({
        address,
        reason: `${domain} is in no tenant's DOMAINS (${describeTenants(config.tenants)}): the relay answers it "not found" without asking Graph`,
      });
      continue;
    }
    byTenant.get(tenant.name)!.push(address);
  }
  return { byTenant, unrouted, warnings };
}

/** `contoso: contoso.com, contoso.de; fabrikam: fabrikam.com`. */
export function describeTenants(tenants: readonly TenantSettings[]): string {
  return tenants.map((t) => `${t.name}: ${t.domains.join(', ')}`).join('; ');
}
