/**
 * The names of the multi-tenant keys (a contract: the Helm chart and outside tools rely on
 * them). `TENANTS=contoso,fabrikam` names the tenants; each tenant's keys are the single-tenant
 * keys behind the prefix `TENANT_<NAME>_`, the name upper-cased with hyphens as underscores:
 * `TENANT_CONTOSO_GRAPH_CLIENT_SECRET`. In a Vault secret or SECRETS_DIR they are the same names
 * in lower case; in a tenant's own Vault secret, the keys without the prefix. Pure.
 */

/** The single-tenant view, as a tenant: what the relay serves without TENANTS. */
export const DEFAULT_TENANT = 'default';

/** The keys every tenant has, as the part after `TENANT_<NAME>_`. */
export const TENANT_KEY_SUFFIXES = [
  'DOMAINS',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_AUTHORITY',
  'GRAPH_ENDPOINT',
  'GRAPH_ANCHOR_MAILBOX',
  'GRAPH_CONCURRENCY',
  'EVENT_DETAILS',
  'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET',
  'GOOGLE_CLIENT_SECRET_PREVIOUS',
] as const;
export type TenantKeySuffix = (typeof TENANT_KEY_SUFFIXES)[number];

/** TENANT_<NAME>_VAULT_SECRET_PATH: the tenant's own secret (environment only). */
export const TENANT_SECRET_PATH_SUFFIX = 'VAULT_SECRET_PATH' as const;

/**
 * The single-tenant keys that have a per-tenant form: with TENANTS they are ambiguous (which
 * tenant would they be for?), so each must be given per tenant instead.
 */
export const SINGLE_TENANT_KEYS: Readonly<Record<string, TenantKeySuffix>> = {
  ALLOWED_DOMAINS: 'DOMAINS',
  GRAPH_CLIENT_ID: 'GRAPH_CLIENT_ID',
  GRAPH_CLIENT_SECRET: 'GRAPH_CLIENT_SECRET',
  GRAPH_AUTHORITY: 'GRAPH_AUTHORITY',
  GRAPH_ENDPOINT: 'GRAPH_ENDPOINT',
  GRAPH_ANCHOR_MAILBOX: 'GRAPH_ANCHOR_MAILBOX',
  GRAPH_CONCURRENCY: 'GRAPH_CONCURRENCY',
  EVENT_DETAILS: 'EVENT_DETAILS',
};

/** Lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
const TENANT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `contoso-eu` -> `TENANT_CONTOSO_EU_`. */
export function tenantKeyPrefix(name: string): string {
  return `TENANT_${name.toUpperCase().replace(/-/g, '_')}_`;
}

export function tenantKey(name: string, suffix: TenantKeySuffix | 'VAULT_SECRET_PATH'): string {
  return `${tenantKeyPrefix(name)}${suffix}`;
}

/** Longest first, so GOOGLE_CLIENT_SECRET_PREVIOUS is never read as GOOGLE_CLIENT_SECRET. */
const SUFFIXES_LONGEST_FIRST: readonly TenantKeyParts['suffix'][] = [
  ...TENANT_KEY_SUFFIXES,
  TENANT_SECRET_PATH_SUFFIX,
].sort((a, b) => b.length - a.length);

export interface TenantKeyParts {
  /** The part between `TENANT_` and the suffix, as spelled in the key (`CONTOSO_EU`). */
  readonly prefix: string;
  readonly suffix: TenantKeySuffix | 'VAULT_SECRET_PATH';
}

/**
 * `TENANT_<NAME>_<SUFFIX>` split at a known suffix; undefined for any other key (so that an
 * unrelated variable such as TENANT_ID is no tenant key at all).
 */
export function splitTenantKey(key: string): TenantKeyParts | undefined {
  if (!key.startsWith('TENANT_')) return undefined;
  const rest = key.slice('TENANT_'.length);
  const suffix = SUFFIXES_LONGEST_FIRST.find((s) => rest.endsWith(`_${s}`));
  if (suffix === undefined || rest.length === suffix.length + 1) return undefined;
  return { prefix: rest.slice(0, rest.length - suffix.length - 1), suffix };
}

/** A tenant key a secret source may hold (all but the tenant's Vault path). */
export function isTenantConfigKey(key: string): boolean {
  const parts = splitTenantKey(key);
  return parts !== undefined && parts.suffix !== TENANT_SECRET_PATH_SUFFIX;
}

/** How a key's prefix reads as a tenant name (`CONTOSO_EU` -> `contoso-eu`), for messages. */
export function tenantNameOfPrefix(prefix: string): string {
  return prefix.toLowerCase().replace(/_/g, '-');
}

/**
 * TENANTS: the names, in order, or the problem (the rest of a line after `TENANTS`). Unset or
 * blank: no tenants (the single-tenant keys apply).
 */
export function readTenantNames(
  value: string | undefined,
): { readonly names: readonly string[] } | { readonly problem: string } {
  const names = (value ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const bad = names.find((n) => !TENANT_NAME.test(n));
  if (bad !== undefined) {
    return {
      problem: `must be a comma-separated list of tenant names of lower-case letters, digits and hyphens (e.g. contoso,fabrikam-eu); "${bad}" is not one`,
    };
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return { problem: `names ${twice} twice` };
  if ((value ?? '').trim() !== '' && names.length === 0) {
    return { problem: 'must name at least one tenant when set' };
  }
  return { names };
}
