import type { RelayConfig } from '@app/config';
import type { ConfiguredClient } from './client-authentication';

/**
 * The Google Interop clients a configuration accepts at /token. Pure.
 *
 * Google's admin console takes one "Additional Exchange endpoint" per domain, each with its own
 * client id and secret (docs/tenants.md): the relay's own client (GOOGLE_CLIENT_ID), whose tokens
 * see every tenant, and each tenant's own (TENANT_<NAME>_GOOGLE_CLIENT_ID), whose tokens see that
 * tenant only. The configuration refuses one client id for two endpoints
 * (libs/config/src/tenant-settings.ts), so a client id names one of them.
 */
export interface GoogleClient extends ConfiguredClient {
  /** The tenant whose own client this is; undefined for the global client (every tenant). */
  readonly tenant?: string;
}

/** The global client first, then each tenant's own, in TENANTS order. */
export function googleClientsOf(config: Pick<RelayConfig, 'google' | 'tenants'>): GoogleClient[] {
  const clients: GoogleClient[] = [config.google];
  for (const tenant of config.tenants) {
    if (tenant.google !== undefined) clients.push({ ...tenant.google, tenant: tenant.name });
  }
  return clients;
}
