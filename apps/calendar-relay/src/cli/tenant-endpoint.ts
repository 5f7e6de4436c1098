import { domainOf } from '@app/availability';
import { tenantKey, tenantKeyPrefix, type RelayConfig } from '@app/config';
import { UsageError } from './cli-arguments';
import { EXIT, type CliIo } from './cli-io';
import type { DiagnosisKeys } from './interop-diagnosis';
import { openRelayConfiguration } from './relay-configuration';

/**
 * `interop-check --tenant NAME`: Google as it calls one tenant's Additional Exchange endpoints
 * (one per domain of the tenant, docs/tenants.md). Google routes a lookup by the domain of the
 * address and presents that endpoint's credentials: the tenant's own Google client
 * (TENANT_<NAME>_GOOGLE_CLIENT_ID/SECRET) when it has one, else the relay's GOOGLE_CLIENT_ID.
 */

/** The credentials Google presents at /token, and the keys the diagnoses then name. */
export interface GoogleEndpoint {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly keys: DiagnosisKeys;
}

/** Reads the relay's configuration (closing it again at once) and picks the tenant's endpoint. */
export async function tenantEndpoint(
  name: string,
  addresses: readonly string[],
  io: CliIo,
): Promise<GoogleEndpoint | number> {
  const loaded = await openRelayConfiguration(io, 'interop-check');
  if (loaded === undefined) return EXIT.failed;
  let config: RelayConfig;
  try {
    config = loaded.sources.current();
  } finally {
    await loaded.sources.onApplicationShutdown();
  }
  const { endpoint, description } = endpointOfTenant(config, name, addresses);
  io.err(description);
  return endpoint;
}

/**
 * The endpoint of tenant `name` for these addresses, or a UsageError: a tenant TENANTS does
 * not name, or an address Google would send to another endpoint. Pure.
 */
export function endpointOfTenant(
  config: RelayConfig,
  name: string,
  addresses: readonly string[],
): { readonly endpoint: GoogleEndpoint; readonly description: string } {
  if (config.graph !== undefined || config.tenants.length === 0) {
    throw new UsageError(
      "--tenant names a tenant of TENANTS, and the relay's configuration has no TENANTS (leave out --tenant)",
    );
  }
  const tenant = config.tenants.find((t) => t.name === name);
  if (tenant === undefined) {
    throw new UsageError(
      `TENANTS (${config.tenants.map((t) => t.name).join(', ')}) names no tenant ${name}`,
    );
  }
  const elsewhere = addresses.filter((a) => !tenant.domains.includes(domainOf(a) ?? ''));
  if (elsewhere.length > 0) {
    throw new UsageError(
      `${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} not in tenant ${name}'s domains (${tenant.domains.join(', ')}): Google sends a lookup to the endpoint of the address's own domain`,
    );
  }
  const own = tenant.google;
  const keys: DiagnosisKeys = {
    googleClientId: own === undefined ? 'GOOGLE_CLIENT_ID' : tenantKey(name, 'GOOGLE_CLIENT_ID'),
    googleClientSecret:
      own === undefined ? 'GOOGLE_CLIENT_SECRET' : tenantKey(name, 'GOOGLE_CLIENT_SECRET'),
    domains: tenantKey(name, 'DOMAINS'),
    graph: `${tenantKeyPrefix(name)}GRAPH_*`,
  };
  const client = own ?? config.google;
  return {
    endpoint: { clientId: client.clientId, clientSecret: client.clientSecret, keys },
    description: `tenant ${name} (${tenant.domains.join(', ')}): Google presents ${own === undefined ? "the relay's client" : "the tenant's own client"} ${client.clientId} (${keys.googleClientId}, ${keys.googleClientSecret})`,
  };
}
