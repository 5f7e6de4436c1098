import {
  splitTenantKey,
  TENANT_KEY_SUFFIXES,
  TENANT_SECRET_PATH_SUFFIX,
  tenantKey,
  type ConfigSourceHealth,
  type ConfigSourceName,
  type RelayConfig,
} from '@app/config';

/**
 * What config-check prints, as pure functions of the loaded configuration: where each key came
 * from (names and sources only: a value may be a secret) and the values to type into Google's
 * admin console.
 */

/** Keys whose values are secrets (none is ever printed; these are marked as such). */
const SECRET_KEYS = new Set([
  'GOOGLE_CLIENT_SECRET',
  'GOOGLE_CLIENT_SECRET_PREVIOUS',
  'TOKEN_SIGNING_KEY',
  'GRAPH_CLIENT_SECRET',
  'VAULT_TOKEN',
  'VAULT_SECRET_ID',
]);

export function isSecretKey(key: string): boolean {
  const tenantSuffix = splitTenantKey(key)?.suffix;
  return (
    SECRET_KEYS.has(key) ||
    (tenantSuffix !== undefined && SECRET_KEYS.has(tenantSuffix)) ||
    /PASSWORD/.test(key)
  );
}

/**
 * The keys config-check lists: the relay's own, then with TENANTS every key of each tenant
 * (its own secret's path when set), then the secret-source settings that are set.
 */
export function keysToReport(
  config: RelayConfig,
  env: Readonly<Record<string, string | undefined>>,
  relayKeys: readonly string[],
  sourceSettingKeys: readonly string[],
): string[] {
  const isSet = (key: string) => (env[key] ?? '').trim() !== '';
  const tenants = isSet('TENANTS') ? config.tenants.map((t) => t.name) : [];
  return [
    ...relayKeys,
    ...tenants.flatMap((name) => [
      ...TENANT_KEY_SUFFIXES.map((suffix) => tenantKey(name, suffix)),
      ...[tenantKey(name, TENANT_SECRET_PATH_SUFFIX)].filter(isSet),
    ]),
    ...sourceSettingKeys.filter((k) => env[k] !== undefined),
  ];
}

/** One line per configuration key: `KEY  source` (env, .env, vault, files) or `(default)`. */
export function formatKeySources(
  keys: readonly string[],
  provenance: Readonly<Record<string, ConfigSourceName>>,
  fromDotEnv: ReadonlySet<string>,
  health: readonly ConfigSourceHealth[],
): string[] {
  const labels = new Map(health.map((h) => [h.name, h.detail]));
  const width = Math.max(...keys.map((k) => k.length));
  return keys.map((key) => {
    const source = provenance[key];
    let where: string;
    if (source === undefined) where = '(not set: default)';
    else if (source === 'env') where = fromDotEnv.has(key) ? '.env' : 'environment';
    else where = `${source}${labels.get(source) ? ` (${labels.get(source)})` : ''}`;
    return `${key.padEnd(width)}  ${where}${isSecretKey(key) && source !== undefined ? '  [secret, not shown]' : ''}`;
  });
}

/**
 * Google admin console > Apps > Google Workspace > Calendar > Calendar Interop management
 * (docs/protocol.md section 2): the relay's URLs, the client id, and one additional endpoint per
 * domain. With TENANTS the endpoints are listed per tenant, each with the credentials Google
 * must present for it: the tenant's own Google client where it has one, else the relay's.
 * Secrets are named, never printed.
 */
export function adminConsoleValues(config: RelayConfig, baseUrl: string | undefined): string[] {
  const base = (baseUrl ?? "https://<the relay's public host>").replace(/\/+$/, '');
  const lines = [
    `Exchange Web Services URL: ${base}/EWS/Exchange.asmx   (or ${base}/)`,
    'Authentication type:       OAuth 2.0 client credentials',
    `Token endpoint URL:        ${base}/token`,
    `Application (client) ID:   ${config.google.clientId}`,
    'Client secret:             the value of GOOGLE_CLIENT_SECRET (not shown)',
  ];
  const endpoint = (domain: string) =>
    `${domain}: EWS URL ${base}/EWS/Exchange.asmx, role account any address in ${domain} (e.g. interop-role@${domain})`;
  if (config.graph === undefined && config.tenants.length > 0) {
    lines.push(
      'Additional Exchange endpoints (one per domain, all with the URLs above), per tenant:',
    );
    for (const tenant of config.tenants) {
      const own = tenant.google;
      lines.push(
        `  tenant ${tenant.name} (${own === undefined ? "the relay's Google client" : 'its own Google client'}):`,
      );
      for (const domain of tenant.domains) {
        lines.push(
          `    ${endpoint(domain)}, client id ${own?.clientId ?? config.google.clientId} and the value of ${own === undefined ? 'GOOGLE_CLIENT_SECRET' : tenantKey(tenant.name, 'GOOGLE_CLIENT_SECRET')}`,
        );
      }
    }
  } else if (config.allowedDomains.length === 0) {
    lines.push(
      'Additional Exchange endpoints: ALLOWED_DOMAINS is empty, so the relay answers for any domain; add one endpoint per domain your Exchange users have',
    );
  } else {
    lines.push(
      'Additional Exchange endpoints (one per supported domain, same URL and credentials):',
    );
    for (const domain of config.allowedDomains) lines.push(`  ${endpoint(domain)}`);
  }
  if (baseUrl === undefined) {
    lines.push("(pass --url https://relay.example.com to fill in the relay's public URL)");
  }
  return lines;
}
