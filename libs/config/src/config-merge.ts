import { LISTENER_KEYS, RELAY_CONFIG_KEYS } from './relay-config.schema';
import { SECRET_SOURCE_SETTING_KEYS } from './secret-source.settings';
import {
  isTenantConfigKey,
  splitTenantKey,
  TENANT_KEY_SUFFIXES,
  TENANT_SECRET_PATH_SUFFIX,
  tenantKeyPrefix,
} from './tenant-keys';

/**
 * Merging the configuration sources: a Vault secret and a secrets directory hold lower-case key
 * names (google_client_secret), the environment the upper-case ones. The first source that has a
 * key wins (a tenant's own Vault secret for its keys, then the Vault secret, then files, then the
 * environment), and the provenance of every key is kept so the log can say where each came
 * from. Pure: values go in and out, nothing is read or logged.
 */

/** `vault:<tenant>`: a tenant's own Vault secret (TENANT_<NAME>_VAULT_SECRET_PATH). */
export type ConfigSourceName = 'vault' | 'files' | 'env' | `vault:${string}`;

/** A secret source's keys, already mapped to the upper-case configuration keys. */
export interface SourceValues {
  readonly name: ConfigSourceName;
  readonly values: Readonly<Record<string, string>>;
}

export type IgnoredKeyReason =
  'unknown' | 'upper-case' | 'listener' | 'source-setting' | 'tenants' | 'not-text' | 'empty';

export interface IgnoredKey {
  /** The key as the source spelled it (a name, never a value). */
  readonly key: string;
  readonly reason: IgnoredKeyReason;
}

/** The configuration keys a secret source may supply: all but the listener's and TENANTS. */
export const SECRET_SOURCE_KEYS: readonly string[] = RELAY_CONFIG_KEYS.filter(
  (k) => !LISTENER_KEYS.includes(k) && k !== 'TENANTS',
);

/** A key a secret source may supply: SECRET_SOURCE_KEYS, or one of a tenant's keys. */
function isSecretSourceKey(key: string): boolean {
  return SECRET_SOURCE_KEYS.includes(key) || isTenantConfigKey(key);
}

/**
 * Maps a secret's lower-case keys to configuration keys. Keys the relay does not read are
 * reported (by name) rather than dropped silently: a typo in a Vault key would otherwise look
 * like a missing secret. Empty values count as absent, as the Vault Agent injector writes an
 * empty file for a key the secret lacks.
 */
export function configValuesOfSecret(raw: Readonly<Record<string, unknown>>): {
  values: Record<string, string>;
  ignored: IgnoredKey[];
} {
  const values: Record<string, string> = {};
  const ignored: IgnoredKey[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const upper = key.toUpperCase();
    let reason: IgnoredKeyReason | undefined;
    if (key !== key.toLowerCase()) {
      reason =
        RELAY_CONFIG_KEYS.includes(upper) || isTenantConfigKey(upper) ? 'upper-case' : 'unknown';
    } else if (LISTENER_KEYS.includes(upper)) reason = 'listener';
    else if (upper === 'TENANTS') reason = 'tenants';
    else if (
      SECRET_SOURCE_SETTING_KEYS.includes(upper) ||
      splitTenantKey(upper)?.suffix === TENANT_SECRET_PATH_SUFFIX
    ) {
      reason = 'source-setting';
    } else if (!isSecretSourceKey(upper)) reason = 'unknown';
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      reason = 'not-text';
    } else if (String(value).trim() === '') reason = 'empty';
    if (reason === undefined) values[upper] = String(value);
    else ignored.push({ key, reason });
  }
  return { values, ignored };
}

export function describeIgnoredKey({ key, reason }: IgnoredKey): string {
  switch (reason) {
    case 'unknown':
      return `${key} (not a configuration key)`;
    case 'upper-case':
      return `${key} (keys are lower-case: ${key.toLowerCase()})`;
    case 'listener':
      return `${key} (a listener setting: set ${key.toUpperCase()} in the environment)`;
    case 'source-setting':
      return `${key} (configures the secret sources: set ${key.toUpperCase()} in the environment)`;
    case 'tenants':
      return `${key} (names the tenants and so their sources: set TENANTS in the environment)`;
    case 'not-text':
      return `${key} (not a text value)`;
    case 'empty':
      return `${key} (empty, treated as absent)`;
  }
}

/**
 * Maps a tenant's own secret (TENANT_<NAME>_VAULT_SECRET_PATH) to that tenant's configuration
 * keys: `graph_client_secret` (or `tenant_<name>_graph_client_secret`) becomes
 * TENANT_<NAME>_GRAPH_CLIENT_SECRET. The secret belongs to the tenant's owners, so it may set
 * that tenant's keys and nothing else: any other key is `refused`, one line naming it, which
 * makes the configuration invalid (the relay keeps its last good one, or does not start).
 */
export function configValuesOfTenantSecret(
  raw: Readonly<Record<string, unknown>>,
  tenant: string,
): { values: Record<string, string>; ignored: IgnoredKey[]; refused: string[] } {
  const prefix = tenantKeyPrefix(tenant);
  const own = TENANT_KEY_SUFFIXES.map((s) => s.toLowerCase());
  const values: Record<string, string> = {};
  const ignored: IgnoredKey[] = [];
  const refused: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const upper = key.toUpperCase();
    const full = upper.startsWith(prefix) ? upper : `${prefix}${upper}`;
    const parts = splitTenantKey(full);
    if (key !== key.toLowerCase()) {
      refused.push(`${key}: keys are lower-case (${key.toLowerCase()})`);
    } else if (parts === undefined || parts.suffix === TENANT_SECRET_PATH_SUFFIX) {
      refused.push(
        `${key} is not a key of tenant ${tenant} (its own secret may set only ${own.join(', ')})`,
      );
    } else if (`TENANT_${parts.prefix}_` !== prefix) {
      refused.push(`${key} is another tenant's key (this secret may set only ${tenant}'s keys)`);
    } else if (
      typeof value !== 'string' &&
      typeof value !== 'number' &&
      typeof value !== 'boolean'
    ) {
      refused.push(`${key} is not a text value`);
    } else if (String(value).trim() === '') ignored.push({ key, reason: 'empty' });
    else values[full] = String(value);
  }
  return { values, ignored, refused };
}

export interface MergedConfig {
  /** Upper-case keys to values: what parseRelayConfig reads. */
  readonly values: Readonly<Record<string, string | undefined>>;
  /** Where each present configuration key came from. */
  readonly provenance: Readonly<Record<string, ConfigSourceName>>;
  /** Keys a secret source supplied although the environment also sets them (env value unused). */
  readonly shadowedEnvKeys: readonly string[];
}

/**
 * Layers the secret sources (highest priority first) over the environment. The environment
 * supplies only what no secret source has; listener keys and everything else come from it alone.
 */
export function mergeConfigSources(
  sources: readonly SourceValues[],
  env: Readonly<Record<string, string | undefined>>,
): MergedConfig {
  const values: Record<string, string | undefined> = {};
  const provenance: Record<string, ConfigSourceName> = {};
  const shadowedEnvKeys: string[] = [];
  // The relay's keys, and the tenant keys present anywhere (misspelt ones of the environment
  // too, so that the schema can name them).
  const extra = new Set<string>();
  for (const source of sources) for (const key of Object.keys(source.values)) extra.add(key);
  for (const key of Object.keys(env)) {
    if (key.startsWith('TENANT_') && splitTenantKey(key)?.suffix !== TENANT_SECRET_PATH_SUFFIX) {
      extra.add(key);
    }
  }
  const keys = [
    ...RELAY_CONFIG_KEYS,
    ...[...extra].filter((k) => !RELAY_CONFIG_KEYS.includes(k)).sort(byTenantThenKey),
  ];
  for (const key of keys) {
    const from = isSecretSourceKey(key)
      ? sources.find((s) => s.values[key] !== undefined)
      : undefined;
    const envValue = env[key];
    if (from !== undefined) {
      values[key] = from.values[key];
      provenance[key] = from.name;
      if (envValue !== undefined && envValue.trim() !== '') shadowedEnvKeys.push(key);
    } else if (envValue !== undefined && envValue.trim() !== '') {
      values[key] = envValue;
      provenance[key] = 'env';
    }
  }
  return { values, provenance, shadowedEnvKeys };
}

/** Tenant keys by tenant, then in the order of TENANT_KEY_SUFFIXES; anything else after. */
function byTenantThenKey(a: string, b: string): number {
  const rank = (key: string): [string, number] => {
    const parts = splitTenantKey(key);
    const suffix = parts === undefined ? -1 : TENANT_KEY_SUFFIXES.indexOf(parts.suffix as never);
    return parts === undefined || suffix < 0 ? [`~${key}`, 0] : [parts.prefix, suffix];
  };
  const [pa, sa] = rank(a);
  const [pb, sb] = rank(b);
  return pa < pb ? -1 : pa > pb ? 1 : sa - sb;
}

/**
 * One log line naming, per source, the keys it supplied, e.g.
 * `vault (secret/data/calendar-relay): GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET; env: PORT`.
 * Key names only: this line is logged, and a value may be a secret.
 */
export function describeProvenance(
  provenance: Readonly<Record<string, ConfigSourceName>>,
  labels: Partial<Readonly<Record<ConfigSourceName, string>>> = {},
): string {
  const rank = (name: ConfigSourceName) =>
    name === 'vault' ? 0 : name.startsWith('vault:') ? 1 : name === 'files' ? 2 : 3;
  const order = [...new Set(Object.values(provenance))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
  const parts: string[] = [];
  for (const source of order) {
    const keys = Object.keys(provenance).filter((k) => provenance[k] === source);
    if (keys.length === 0) continue;
    const label = labels[source] === undefined ? source : `${source} (${labels[source]})`;
    parts.push(`${label}: ${keys.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'no keys set';
}

/** Names of the keys whose value or presence differs between two merged configurations. */
export function changedKeys(
  before: Readonly<Record<string, string | undefined>>,
  after: Readonly<Record<string, string | undefined>>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}
