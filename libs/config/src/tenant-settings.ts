import { z } from 'zod';
import {
  domainList,
  eventDetailsSetting,
  httpsUrl,
  integer,
  optionalMailbox,
  optionalSecret,
  problemsOf,
} from './schema-fields';
import {
  SINGLE_TENANT_KEYS,
  splitTenantKey,
  TENANT_KEY_SUFFIXES,
  TENANT_SECRET_PATH_SUFFIX,
  tenantKey,
  tenantKeyPrefix,
  tenantNameOfPrefix,
  type TenantKeySuffix,
} from './tenant-keys';

/**
 * The tenants of TENANTS, parsed from the flat key/value configuration (tenant-keys.ts names
 * the keys). Pure. Every mistake is one problem line naming the key: a missing required key, a
 * named tenant without keys, a key of a tenant TENANTS does not name, a domain in two tenants,
 * a single-tenant key set together with TENANTS, a bad value (the single-tenant keys' messages).
 */

/** Microsoft Graph as one tenant's Entra app reaches it. */
export interface GraphSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authority: string;
  readonly endpoint: string;
  readonly deadlineMs: number;
  /** GRAPH_ANCHOR_MAILBOX: the URL's mailbox for every call, when the app is scoped. */
  readonly anchorMailbox?: string;
  /** GRAPH_CONCURRENCY: the most getSchedule calls in flight (lowered while Graph throttles). */
  readonly concurrency: number;
  readonly cacheTtlSeconds: number;
  readonly cacheMaxEntries: number;
}

/** A Google Interop client: the credentials Google presents at /token. */
export interface GoogleClientSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Still accepted while a rotation is under way (configured, or the automatic grace). */
  readonly previousClientSecret?: string;
}

/** One Microsoft 365 tenant behind the relay. */
export interface TenantSettings {
  /** As in TENANTS; `default` for the single-tenant keys. */
  readonly name: string;
  /** The email domains (lower case) it serves; empty = every domain (only `default`). */
  readonly domains: readonly string[];
  readonly graph: GraphSettings;
  /** Subject/location in Detailed views: for none of its domains, all, or the listed ones. */
  readonly eventDetails: boolean | readonly string[];
  /** The tenant's own Google Interop endpoint client (tokens of it see this tenant only). */
  readonly google?: GoogleClientSettings;
}

/** The settings every tenant shares (from the global keys). */
export type SharedGraphSettings = Pick<
  GraphSettings,
  'deadlineMs' | 'cacheTtlSeconds' | 'cacheMaxEntries'
>;

const REQUIRED: readonly TenantKeySuffix[] = [
  'DOMAINS',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_AUTHORITY',
];

/** The per-tenant fields: the single-tenant keys' parsers and messages. */
const fields = {
  DOMAINS: domainList,
  GRAPH_CLIENT_ID: optionalSecret('the Entra application (client) id'),
  GRAPH_CLIENT_SECRET: optionalSecret('the Entra application client secret'),
  GRAPH_AUTHORITY: httpsUrl('https://login.microsoftonline.com/<tenant id>'),
  GRAPH_ENDPOINT: httpsUrl('Microsoft Graph base URL', 'https://graph.microsoft.com'),
  GRAPH_ANCHOR_MAILBOX: optionalMailbox(
    "a mailbox inside the app's scope, used as the mailbox in every getSchedule URL",
  ),
  GRAPH_CONCURRENCY: integer(
    'getSchedule calls in flight at once for the app (Graph runs 4 per app ID)',
    1,
    16,
    4,
  ),
  EVENT_DETAILS: eventDetailsSetting,
  GOOGLE_CLIENT_ID: optionalSecret("the client id of the tenant's own Google Interop endpoint"),
  GOOGLE_CLIENT_SECRET: optionalSecret(
    "the client secret of the tenant's own Google Interop endpoint",
  ),
  GOOGLE_CLIENT_SECRET_PREVIOUS: optionalSecret(
    'the previous client secret, still accepted while a rotation is under way',
  ),
} satisfies Record<TenantKeySuffix, z.ZodType>;

export interface ParsedTenants {
  readonly tenants: readonly TenantSettings[];
  readonly problems: readonly string[];
}

/** The tenants named in TENANTS (`names`), from `source`'s TENANT_<NAME>_* keys. */
export function parseTenants(
  names: readonly string[],
  source: Readonly<Record<string, string | undefined>>,
  shared: SharedGraphSettings,
): ParsedTenants {
  const problems = [...strayKeyProblems(names, source)];
  if (names.length > 0) {
    for (const [key, suffix] of Object.entries(SINGLE_TENANT_KEYS)) {
      if (isSet(source[key])) {
        problems.push(
          `${key} is set together with TENANTS, which is ambiguous: with TENANTS each tenant has its own TENANT_<NAME>_${suffix} (remove ${key})`,
        );
      }
    }
  }
  const tenants: TenantSettings[] = [];
  for (const name of names) {
    const parsed = parseTenant(name, source, shared);
    if ('problems' in parsed) problems.push(...parsed.problems);
    else tenants.push(parsed.tenant);
  }
  problems.push(...sharedDomainProblems(tenants), ...sharedGoogleClientProblems(tenants, source));
  return { tenants, problems };
}

function parseTenant(
  name: string,
  source: Readonly<Record<string, string | undefined>>,
  shared: SharedGraphSettings,
): { readonly tenant: TenantSettings } | { readonly problems: readonly string[] } {
  const key = (suffix: TenantKeySuffix) => tenantKey(name, suffix);
  if (TENANT_KEY_SUFFIXES.every((suffix) => !isSet(source[key(suffix)]))) {
    return {
      problems: [
        `TENANTS names ${name}, but no ${tenantKeyPrefix(name)}* key is set (it needs ${REQUIRED.map(key).join(', ')}; or remove ${name} from TENANTS)`,
      ],
    };
  }
  const shape: Record<string, z.ZodType> = {};
  const picked: Record<string, string | undefined> = {};
  for (const suffix of TENANT_KEY_SUFFIXES) {
    shape[key(suffix)] = fields[suffix];
    picked[key(suffix)] = source[key(suffix)];
  }
  const result = z.object(shape).safeParse(picked);
  const problems = result.success ? [] : problemsOf(result.error);
  for (const suffix of REQUIRED) {
    if (!isSet(picked[key(suffix)])) {
      problems.push(
        `${key(suffix)} is required (every tenant in TENANTS needs ${REQUIRED.map((s) => `TENANT_<NAME>_${s}`).join(', ')})`,
      );
    }
  }
  const [hasId, hasSecret, hasPrevious] = (
    ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_CLIENT_SECRET_PREVIOUS'] as const
  ).map((suffix) => isSet(picked[key(suffix)]));
  if (hasId !== hasSecret) {
    const [missing, present] = hasId
      ? ['GOOGLE_CLIENT_SECRET', 'GOOGLE_CLIENT_ID']
      : ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'];
    problems.push(
      `${tenantKeyPrefix(name)}${missing} is required when ${tenantKeyPrefix(name)}${present} is set (both make the tenant's own Google Interop client)`,
    );
  } else if (hasPrevious && !hasId) {
    problems.push(
      `${key('GOOGLE_CLIENT_SECRET_PREVIOUS')} is set without ${key('GOOGLE_CLIENT_ID')} and ${key('GOOGLE_CLIENT_SECRET')} (the tenant's own Google Interop client)`,
    );
  }
  if (!result.success || problems.length > 0) return { problems };
  const value = <S extends TenantKeySuffix>(suffix: S) =>
    result.data[key(suffix)] as z.infer<(typeof fields)[S]>;
  const googleId = value('GOOGLE_CLIENT_ID');
  const googleSecret = value('GOOGLE_CLIENT_SECRET');
  const googlePrevious = value('GOOGLE_CLIENT_SECRET_PREVIOUS');

  const anchorMailbox = value('GRAPH_ANCHOR_MAILBOX');
  return {
    tenant: {
      name,
      domains: [...new Set(value('DOMAINS'))],
      graph: {
        clientId: value('GRAPH_CLIENT_ID')!.trim(),
        clientSecret: value('GRAPH_CLIENT_SECRET')!,
        authority: value('GRAPH_AUTHORITY')!,
        endpoint: value('GRAPH_ENDPOINT')!,
        deadlineMs: shared.deadlineMs,
        ...(anchorMailbox !== undefined ? { anchorMailbox } : {}),
        concurrency: value('GRAPH_CONCURRENCY'),
        cacheTtlSeconds: shared.cacheTtlSeconds,
        cacheMaxEntries: shared.cacheMaxEntries,
      },
      eventDetails: value('EVENT_DETAILS'),
      ...(googleId !== undefined && googleSecret !== undefined
        ? {
            google: {
              clientId: googleId.trim(),
              clientSecret: googleSecret,
              ...(googlePrevious !== undefined ? { previousClientSecret: googlePrevious } : {}),
            },
          }
        : {}),
    },
  };
}

/** TENANT_* keys of no tenant in TENANTS, and misspelt keys of a tenant that is. */
function strayKeyProblems(
  names: readonly string[],
  source: Readonly<Record<string, string | undefined>>,
): string[] {
  const prefixes = names.map(tenantKeyPrefix);
  const problems: string[] = [];
  for (const key of Object.keys(source)) {
    if (!key.startsWith('TENANT_') || !isSet(source[key])) continue;
    const parts = splitTenantKey(key);
    if (parts !== undefined && parts.suffix !== TENANT_SECRET_PATH_SUFFIX) {
      if (prefixes.includes(`TENANT_${parts.prefix}_`)) continue;
      const name = tenantNameOfPrefix(parts.prefix);
      problems.push(
        names.length === 0
          ? `${key} is set, but TENANTS is not (set TENANTS=${name} to serve that tenant, or remove ${key})`
          : `${key} is set, but TENANTS (${names.join(',')}) does not name ${name}`,
      );
    } else if (parts === undefined && prefixes.some((p) => key.startsWith(p))) {
      problems.push(
        `${key} is not a tenant key (a tenant's keys are TENANT_<NAME>_ and one of ${TENANT_KEY_SUFFIXES.join(', ')})`,
      );
    }
  }
  return problems;
}

function sharedDomainProblems(tenants: readonly TenantSettings[]): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const tenant of tenants) {
    for (const domain of tenant.domains) {
      const first = owner.get(domain);
      if (first === undefined) owner.set(domain, tenant.name);
      else {
        problems.push(
          `${domain} is in ${tenantKey(first, 'DOMAINS')} and ${tenantKey(tenant.name, 'DOMAINS')} (a domain belongs to one tenant only)`,
        );
      }
    }
  }
  return problems;
}

/** /token tells the endpoints apart by client id, so no two may share one. */
function sharedGoogleClientProblems(
  tenants: readonly TenantSettings[],
  source: Readonly<Record<string, string | undefined>>,
): string[] {
  const owner = new Map<string, string>();
  const globalId = source.GOOGLE_CLIENT_ID?.trim();
  if (globalId !== undefined && globalId !== '') owner.set(globalId, 'GOOGLE_CLIENT_ID');
  const problems: string[] = [];
  for (const tenant of tenants) {
    if (tenant.google === undefined) continue;
    const key = tenantKey(tenant.name, 'GOOGLE_CLIENT_ID');
    const first = owner.get(tenant.google.clientId);
    if (first === undefined) owner.set(tenant.google.clientId, key);
    else {
      problems.push(
        `${key} is the same client id as ${first} (each Google Interop endpoint needs a client id of its own)`,
      );
    }
  }
  return problems;
}

/** Names of the tenants whose object differs (added, removed or another object) between two lists. */
export function changedTenants(
  previous: readonly TenantSettings[],
  next: readonly TenantSettings[],
): string[] {
  const before = new Map(previous.map((t) => [t.name, t]));
  const after = new Map(next.map((t) => [t.name, t]));
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (name) => before.get(name) !== after.get(name),
  );
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
