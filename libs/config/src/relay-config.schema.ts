import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import type { AddressRanges } from './address-ranges';
import {
  addressRanges,
  boolean,
  domainList,
  eventDetailsSetting,
  httpsUrl,
  integer,
  optionalMailbox,
  optionalSecret,
  optionalText,
  problemsOf,
  secret,
} from './schema-fields';
import {
  allRoomsAddressSetting,
  allRoomsNameSetting,
  roomCacheTtlSetting,
  roomListsSetting,
  type RoomSettings,
} from './room-settings';
import { DEFAULT_TENANT, readTenantNames } from './tenant-keys';
import {
  parseTenants,
  type GoogleClientSettings,
  type GraphSettings,
  type TenantSettings,
} from './tenant-settings';

export type { GoogleClientSettings, GraphSettings, TenantSettings } from './tenant-settings';

/**
 * The relay's configuration keys (docs/architecture.md, "Configuration keys"), parsed from a flat
 * string map: the environment, a .env file, or a Vault secret whose keys are the lower-case
 * names. Pure: no I/O, so it is tested directly and used the same way by every source.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const relayConfigSchema = z.object({
  PORT: integer('TCP port to listen on', 1, 65535, 8080),
  HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  GOOGLE_CLIENT_ID: secret('the client id Google presents at /token'),
  GOOGLE_CLIENT_SECRET: secret('the client secret Google presents at /token'),
  GOOGLE_CLIENT_SECRET_PREVIOUS: optionalSecret(
    'the previous Google client secret, still accepted while a rotation is under way',
  ),
  TOKEN_SIGNING_KEY: optionalSecret(
    'at least 32 characters; signs the access tokens of /token',
  ).refine((v) => v === undefined || v.trim().length >= 32, {
    message: 'must be at least 32 characters (signs the access tokens of /token)',
  }),
  TOKEN_LIFETIME_SECONDS: integer('lifetime of issued access tokens', 60, 86400, 3600),
  TOKEN_ISSUER: optionalText.transform((v) => v ?? 'calendar-relay'),
  TOKEN_RATE_LIMIT_PER_MINUTE: integer(
    'token requests per client address per minute',
    1,
    100000,
    60,
  ),
  TOKEN_MAX_FAILURES_PER_ADDRESS: integer(
    'failed token authentications per client address within TOKEN_LOCKOUT_SECONDS before a lockout',
    1,
    100000,
    10,
  ),
  TOKEN_MAX_FAILURES_PER_CLIENT: integer(
    'failed token authentications for the client id within TOKEN_LOCKOUT_SECONDS before a lockout',
    1,
    100000,
    100,
  ),
  TOKEN_LOCKOUT_SECONDS: integer(
    'how long failures count and a token lockout lasts, in seconds',
    1,
    86400,
    900,
  ),
  GRAPH_CLIENT_ID: optionalSecret('the Entra application (client) id'),
  GRAPH_CLIENT_SECRET: optionalSecret('the Entra application client secret'),
  GRAPH_AUTHORITY: httpsUrl('https://login.microsoftonline.com/<tenant id>'),
  GRAPH_ENDPOINT: httpsUrl('Microsoft Graph base URL', 'https://graph.microsoft.com'),
  GRAPH_DEADLINE_MS: integer('deadline of one lookup against Graph, in ms', 500, 60000, 8000),
  GRAPH_ANCHOR_MAILBOX: optionalMailbox(
    "a mailbox inside the app's scope, used as the mailbox in every getSchedule URL",
  ),
  GRAPH_CONCURRENCY: integer(
    'getSchedule calls in flight at once for the app (Graph runs 4 per app ID)',
    1,
    16,
    4,
  ),
  CACHE_TTL_SECONDS: integer('how long per-mailbox results are cached; 0 disables', 0, 3600, 60),
  CACHE_MAX_ENTRIES: integer('bound on cached per-mailbox results', 0, 1000000, 10000),
  ALLOWED_DOMAINS: domainList,
  // Names only: the tenants' own keys (TENANT_<NAME>_*) are read by tenant-settings.ts.
  TENANTS: optionalText,
  EVENT_DETAILS: eventDetailsSetting,
  ROLE_ACCOUNT_DOMAIN_ONLY: boolean(
    'a caller impersonating a role account of one domain sees mailboxes of that domain only',
    false,
  ),
  // The room directory (room-settings.ts).
  ROOMS_CACHE_TTL_SECONDS: roomCacheTtlSetting,
  ALL_ROOMS_LIST_ADDRESS: allRoomsAddressSetting,
  ALL_ROOMS_LIST_NAME: allRoomsNameSetting,
  ROOM_LISTS: roomListsSetting,
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  TRUST_PROXY: addressRanges({ allowEverything: false, mentionGoogle: false }),
  IP_ALLOWLIST: addressRanges({ allowEverything: true, mentionGoogle: true }),
  TOKEN_IP_ALLOWLIST: addressRanges({ allowEverything: true, mentionGoogle: true }),
  SHUTDOWN_DRAIN_MS: integer(
    'how long /health/ready reports 503 before the listener closes on SIGTERM, in ms',
    0,
    120000,
    0,
  ),
  READINESS_REQUIRES_SECRET_SOURCE: boolean(
    'fail /health/ready while Vault or SECRETS_DIR cannot be read (default: only report it)',
    false,
  ),
  READINESS_REQUIRES_ALL_TENANTS: boolean(
    'fail /health/ready while any tenant cannot get a Graph token (default: ready while any tenant can serve)',
    false,
  ),
  BODY_LIMIT_BYTES: integer('largest accepted request body', 1024, 10485760, 262144),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const level = (v ?? '').trim().toLowerCase() || 'info';
      if (!(LOG_LEVELS as readonly string[]).includes(level)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')}` });
        return z.NEVER;
      }
      return level as (typeof LOG_LEVELS)[number];
    }),
});

type ParsedEnvironment = z.infer<typeof relayConfigSchema>;

export interface RelayConfig extends ListenerSettings {
  /** GOOGLE_CLIENT_ID/SECRET: the relay's own Google client, whose tokens see every tenant. */
  readonly google: GoogleClientSettings;
  readonly token: {
    /** Explicit signing key; when absent the key is derived from the Google client secret. */
    readonly signingKey?: string;
    readonly lifetimeSeconds: number;
    readonly issuer: string;
    /** Brute-force protection of /token (RFC 6749 2.3.1). */
    readonly attempts: {
      readonly requestsPerMinutePerAddress: number;
      readonly failuresPerAddress: number;
      readonly failuresPerClient: number;
      readonly lockoutSeconds: number;
    };
  };
  /**
   * The Microsoft 365 tenants, always present. With TENANTS, one per name; without, one named
   * `default` from the single-tenant keys (GRAPH_*, ALLOWED_DOMAINS, EVENT_DETAILS) when GRAPH_*
   * is set, else none (the relay then serves the demo calendars). A refresh that changes nothing
   * of a tenant keeps its object (===), so consumers rebuild only what changed.
   */
  readonly tenants: readonly TenantSettings[];
  /**
   * The single-tenant view: the `default` tenant's Graph app; undefined with TENANTS (read
   * `tenants`) and when no tenant is configured (the demo calendars).
   */
  readonly graph?: GraphSettings;
  /**
   * The single-tenant view of the domains served: ALLOWED_DOMAINS (empty = every domain), or
   * with TENANTS every tenant's DOMAINS (a domain of no tenant is answered "not found").
   */
  readonly allowedDomains: readonly string[];
  /**
   * The single-tenant view of subject/location in Detailed views: EVENT_DETAILS (no domain,
   * every domain, or the listed ones), or with TENANTS the domains of each tenant's setting.
   */
  readonly eventDetails: boolean | readonly string[];
  /** A caller impersonating a role account of domain A sees mailboxes of domain A only. */
  readonly roleAccountDomainOnly: boolean;
  /** GetRoomLists/GetRooms: the directory cache, the all-rooms list, configured lists. */
  readonly rooms: RoomSettings;
  /** IP_ALLOWLIST: who may call the EWS endpoint (`google` expanded); undefined = everyone. */
  readonly ipAllowlist?: AddressRanges;
  /** TOKEN_IP_ALLOWLIST: who may call /token; undefined = everyone (Google's token calls vary). */
  readonly tokenIpAllowlist?: AddressRanges;
  /** Readiness drain on SIGTERM before the listener closes (the chart's preStop pairs with it). */
  readonly shutdownDrainMs: number;
  /** Fail readiness while a secret source fails (default: report it, keep serving). */
  readonly readinessRequiresSecretSource: boolean;
  /** Fail readiness while any tenant cannot serve (default: ready while any tenant can). */
  readonly readinessRequiresAllTenants: boolean;
}

/** What the HTTP listener needs before the Nest container exists (no secrets involved). */
export interface ListenerSettings {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** TRUST_PROXY: the proxies whose X-Forwarded-For is believed; undefined = none. */
  readonly trustProxy?: AddressRanges;
  readonly logLevel: ParsedEnvironment['LOG_LEVEL'];
}

const listenerSchema = relayConfigSchema.pick({
  PORT: true,
  HOST: true,
  BODY_LIMIT_BYTES: true,
  TLS_CERT_FILE: true,
  TLS_KEY_FILE: true,
  TRUST_PROXY: true,
  LOG_LEVEL: true,
});

/**
 * The keys main.ts reads before the Nest container exists: they come from the environment only,
 * never from a secret source (the listener is already bound by the time Vault has answered).
 */
export const LISTENER_KEYS: readonly string[] = Object.keys(listenerSchema.shape);

/** Every key of the relay's own configuration (upper case, as in the environment). */
export const RELAY_CONFIG_KEYS: readonly string[] = Object.keys(relayConfigSchema.shape);

/**
 * The listener settings alone: main.ts needs them to build the Fastify adapter, while the
 * secrets may still come from Vault later in start-up.
 */
export function parseListenerSettings(
  source: Readonly<Record<string, string | undefined>>,
): ListenerSettings {
  const result = listenerSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigurationError(problemsOf(result.error));
  }
  const env = result.data;
  if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
    const [missing, present] =
      env.TLS_CERT_FILE === undefined
        ? ['TLS_CERT_FILE', 'TLS_KEY_FILE']
        : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    throw new ConfigurationError([
      `${missing} is required when ${present} is set (both serve HTTPS directly)`,
    ]);
  }
  return {
    port: env.PORT,
    host: env.HOST,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    tls:
      env.TLS_CERT_FILE !== undefined && env.TLS_KEY_FILE !== undefined
        ? { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE }
        : undefined,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
  };
}

const GRAPH_KEYS = ['GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_AUTHORITY'] as const;

/**
 * Parses and validates the flat key/value configuration. Throws ConfigurationError naming every
 * bad key at once, so an operator fixes them in one go.
 */
export function parseRelayConfig(
  source: Readonly<Record<string, string | undefined>>,
): RelayConfig {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(relayConfigSchema.shape)) picked[key] = source[key];
  const result = relayConfigSchema.safeParse(picked);
  const problems = result.success ? [] : problemsOf(result.error);
  const names = readTenantNames(source.TENANTS);
  if ('problem' in names) problems.push(`TENANTS ${names.problem}`);
  const env = result.success ? result.data : undefined;
  // A malformed TENANTS is the one problem to fix first: without its names every tenant key
  // would read as a stray one.
  const parsedTenants =
    'names' in names
      ? parseTenants(names.names, source, {
          deadlineMs: env?.GRAPH_DEADLINE_MS ?? 0,
          cacheTtlSeconds: env?.CACHE_TTL_SECONDS ?? 0,
          cacheMaxEntries: env?.CACHE_MAX_ENTRIES ?? 0,
        })
      : { tenants: [], problems: [] };
  problems.push(...parsedTenants.problems);
  if (env === undefined || problems.length > 0 || !('names' in names)) {
    throw new ConfigurationError(problems);
  }
  const multiTenant = names.names.length > 0;

  const presentGraphKeys = GRAPH_KEYS.filter((k) => env[k] !== undefined);
  if (presentGraphKeys.length > 0 && presentGraphKeys.length < GRAPH_KEYS.length) {
    const missing = GRAPH_KEYS.filter((k) => env[k] === undefined);
    throw new ConfigurationError(
      missing.map(
        (k) =>
          `${k} is required when ${presentGraphKeys.join(', ')} ${presentGraphKeys.length > 1 ? 'are' : 'is'} set (all three GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY configure the Microsoft tenant)`,
      ),
    );
  }
  const listener = parseListenerSettings(source);
  const graph: GraphSettings | undefined =
    !multiTenant && presentGraphKeys.length === GRAPH_KEYS.length
      ? {
          clientId: env.GRAPH_CLIENT_ID!.trim(),
          clientSecret: env.GRAPH_CLIENT_SECRET!,
          authority: env.GRAPH_AUTHORITY!,
          endpoint: env.GRAPH_ENDPOINT!,
          deadlineMs: env.GRAPH_DEADLINE_MS,
          ...(env.GRAPH_ANCHOR_MAILBOX !== undefined
            ? { anchorMailbox: env.GRAPH_ANCHOR_MAILBOX }
            : {}),
          concurrency: env.GRAPH_CONCURRENCY,
          cacheTtlSeconds: env.CACHE_TTL_SECONDS,
          cacheMaxEntries: env.CACHE_MAX_ENTRIES,
        }
      : undefined;
  const tenants: readonly TenantSettings[] = multiTenant
    ? parsedTenants.tenants
    : graph === undefined
      ? []
      : [
          {
            name: DEFAULT_TENANT,
            domains: env.ALLOWED_DOMAINS,
            graph,
            eventDetails: env.EVENT_DETAILS,
          },
        ];

  return {
    ...listener,
    google: {
      clientId: env.GOOGLE_CLIENT_ID.trim(),
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      previousClientSecret: env.GOOGLE_CLIENT_SECRET_PREVIOUS,
    },
    token: {
      signingKey: env.TOKEN_SIGNING_KEY,
      lifetimeSeconds: env.TOKEN_LIFETIME_SECONDS,
      issuer: env.TOKEN_ISSUER,
      attempts: {
        requestsPerMinutePerAddress: env.TOKEN_RATE_LIMIT_PER_MINUTE,
        failuresPerAddress: env.TOKEN_MAX_FAILURES_PER_ADDRESS,
        failuresPerClient: env.TOKEN_MAX_FAILURES_PER_CLIENT,
        lockoutSeconds: env.TOKEN_LOCKOUT_SECONDS,
      },
    },
    tenants,
    graph,
    allowedDomains: multiTenant ? tenants.flatMap((t) => t.domains) : env.ALLOWED_DOMAINS,
    eventDetails: multiTenant ? eventDetailsOfTenants(tenants) : env.EVENT_DETAILS,
    roleAccountDomainOnly: env.ROLE_ACCOUNT_DOMAIN_ONLY,
    rooms: {
      cacheTtlSeconds: env.ROOMS_CACHE_TTL_SECONDS,
      ...(env.ALL_ROOMS_LIST_ADDRESS !== undefined
        ? { allRoomsList: { name: env.ALL_ROOMS_LIST_NAME, address: env.ALL_ROOMS_LIST_ADDRESS } }
        : {}),
      configuredLists: env.ROOM_LISTS,
    },
    ipAllowlist: env.IP_ALLOWLIST,
    tokenIpAllowlist: env.TOKEN_IP_ALLOWLIST,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    readinessRequiresSecretSource: env.READINESS_REQUIRES_SECRET_SOURCE,
    readinessRequiresAllTenants: env.READINESS_REQUIRES_ALL_TENANTS,
  };
}

/** The domains whose mailboxes get details, from each tenant's EVENT_DETAILS. */
function eventDetailsOfTenants(tenants: readonly TenantSettings[]): boolean | readonly string[] {
  const domains = tenants.flatMap((t) =>
    t.eventDetails === true ? t.domains : t.eventDetails === false ? [] : t.eventDetails,
  );
  return domains.length === 0 ? false : [...new Set(domains)];
}
