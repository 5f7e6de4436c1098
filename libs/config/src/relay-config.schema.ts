import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import type { AddressRanges } from './address-ranges';
import {
  addressRanges,
  boolean,
  httpsUrl,
  integer,
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

/**
 * The relay's configuration keys (docs/architecture.md, "Configuration keys"), parsed from a flat
 * string map: the environment, a .env file, or a Vault secret whose keys are the lower-case
 * names. Pure: no I/O, so it is tested directly and used the same way by every source.
 */

const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

const domainList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const items = (v ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter((d) => d.length > 0);
    for (const d of items) {
      if (!DOMAIN.test(d)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of email domains such as contoso.com; "${d}" is not one`,
        });
        return z.NEVER;
      }
    }
    return items;
  });

/**
 * EVENT_DETAILS: `false` (default, free/busy only), `true` (every domain), or the domains whose
 * mailboxes show subject/location (Google's "Show event details" is set per Interop endpoint,
 * and an admin serving several domains may want it for some only).
 */
const eventDetailsSetting = z
  .string()
  .optional()
  .transform((v, ctx): boolean | readonly string[] => {
    const s = (v ?? '').trim().toLowerCase();
    if (s === '' || s === 'false' || s === '0' || s === 'no') return false;
    if (s === 'true' || s === '1' || s === 'yes') return true;
    const domains = s
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d.length > 0);
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad !== undefined || domains.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false or a comma-separated list of email domains${bad === undefined ? '' : `; "${bad}" is not one`}`,
      });
      return z.NEVER;
    }
    return domains;
  });

/** One SMTP address (`local@domain`), lower-cased: Graph compares mailboxes that way. */
const optionalMailbox = (what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase();
      if (s === '') return undefined;
      const at = s.lastIndexOf('@');
      if (at < 1 || !/^[^\s@,;<>"]+$/.test(s.slice(0, at)) || !DOMAIN.test(s.slice(at + 1))) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one email address such as interop@contoso.com (${what})`,
        });
        return z.NEVER;
      }
      return s;
    });

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

export type GraphSettings = {
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
};

export interface RelayConfig extends ListenerSettings {
  readonly google: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly previousClientSecret?: string;
  };
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
  /** Absent when no Microsoft tenant is configured: the relay then serves the demo calendars. */
  readonly graph?: GraphSettings;
  readonly allowedDomains: readonly string[];
  /** Subject/location in Detailed views: for no domain, every domain, or the listed ones. */
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
  if (!result.success) {
    throw new ConfigurationError(problemsOf(result.error));
  }
  const env = result.data;

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
    graph:
      presentGraphKeys.length === GRAPH_KEYS.length
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
        : undefined,
    allowedDomains: env.ALLOWED_DOMAINS,
    eventDetails: env.EVENT_DETAILS,
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
  };
}
