import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import { integer, optionalText, problemsOf } from './schema-fields';
import {
  readTenantNames,
  splitTenantKey,
  TENANT_SECRET_PATH_SUFFIX,
  tenantKey,
  tenantNameOfPrefix,
} from './tenant-keys';

/**
 * Where the relay's secrets come from, besides the environment: a Vault (or OpenBao) KV secret
 * and/or a directory of one file per key (Vault Agent injector, Secrets Store CSI driver).
 * These settings are read from the environment only; docs/vault.md describes each of them.
 * Pure: no I/O (files named here are read later, by the sources themselves).
 */

export type VaultAuthMethod = 'token' | 'approle' | 'kubernetes';
export const VAULT_AUTH_METHODS: readonly VaultAuthMethod[] = ['token', 'approle', 'kubernetes'];

export type VaultAuthSettings =
  | { readonly method: 'token'; readonly token: string }
  | {
      readonly method: 'approle';
      readonly mount: string;
      readonly roleId: string;
      /** Exactly one of these, or neither for a role created with bind_secret_id=false. */
      readonly secretId?: string;
      readonly secretIdFile?: string;
    }
  | {
      readonly method: 'kubernetes';
      readonly mount: string;
      readonly role: string;
      /** Re-read at every login: projected service-account tokens are rotated by the kubelet. */
      readonly tokenFile: string;
    };

export interface VaultSettings {
  /** Scheme, host and port, no trailing slash. */
  readonly address: string;
  readonly namespace?: string;
  readonly caCertFile?: string;
  readonly auth: VaultAuthSettings;
  /** The secret is `<mount>/<path>`; for KV v2 its API path is `<mount>/data/<path>`. */
  readonly kv: VaultKvSettings;
  /**
   * The tenants' own secrets (TENANT_<NAME>_VAULT_SECRET_PATH), in TENANTS order: same mount,
   * same login, each read and refreshed on its own.
   */
  readonly tenantSecrets: readonly { readonly tenant: string; readonly kv: VaultKvSettings }[];
  /** 0: no periodic re-read (refreshNow() still reads). */
  readonly refreshSeconds: number;
  readonly startup: { readonly attempts: number; readonly firstBackoffMs: number };
  readonly requestTimeoutMs: number;
}

export interface VaultKvSettings {
  readonly mount: string;
  readonly path: string;
  readonly version: 1 | 2;
}

export interface SecretsDirSettings {
  readonly path: string;
  /** 0: the files are read at start-up only. */
  readonly refreshSeconds: number;
}

export interface SecretSourceSettings {
  readonly vault?: VaultSettings;
  readonly secretsDir?: SecretsDirSettings;
  /** How long a replaced Google client secret keeps working when no previous one is configured. */
  readonly googleSecretGraceSeconds: number;
  /** Settings that do nothing as given (e.g. VAULT_TOKEN without VAULT_ADDR): worth a warning. */
  readonly warnings: readonly string[];
}

export const DEFAULT_K8S_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A Vault mount or secret path: slash-separated segments, none empty, `.` or `..`. */
const vaultPath = (what: string, fallback?: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const raw = v === undefined || v.trim() === '' ? fallback : v.trim();
      if (raw === undefined) return undefined;
      const trimmed = raw.replace(/^\/+|\/+$/g, '');
      const segments = trimmed.split('/');
      const bad =
        trimmed === '' ||
        segments.some(
          (s) => s === '' || s === '.' || s === '..' || !/^[A-Za-z0-9._@+=,~-]+$/.test(s),
        );
      if (bad) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a Vault path of letters, digits and . _ - @ + = , ~ separated by / (${what})`,
        });
        return z.NEVER;
      }
      return trimmed;
    });

const vaultAddress = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an http:// or https:// URL such as https://vault.example.com:8200',
      });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({
        code: 'custom',
        message: 'must use https:// (or http:// for a local dev server)',
      });
      return z.NEVER;
    }
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the server address only (scheme, host, port), without a path such as /v1',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const enumOf = <T extends string>(values: readonly T[], fallback: T) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase() || fallback;
      if (!(values as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return s as T;
    });

/** Present values are kept exactly (a token or secret id is never trimmed into another one). */
const credential = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const secretSourceSchema = z.object({
  VAULT_ADDR: vaultAddress,
  VAULT_AUTH: enumOf(VAULT_AUTH_METHODS, 'token'),
  VAULT_TOKEN: credential,
  VAULT_ROLE_ID: optionalText,
  VAULT_SECRET_ID: credential,
  VAULT_SECRET_ID_FILE: optionalText,
  VAULT_APPROLE_MOUNT: vaultPath('the AppRole auth method mount', 'approle'),
  VAULT_K8S_ROLE: optionalText,
  VAULT_K8S_TOKEN_FILE: optionalText.transform((v) => v ?? DEFAULT_K8S_TOKEN_FILE),
  VAULT_K8S_MOUNT: vaultPath('the Kubernetes auth method mount', 'kubernetes'),
  VAULT_KV_MOUNT: vaultPath('the KV secrets engine mount', 'secret'),
  VAULT_KV_VERSION: enumOf(['1', '2'] as const, '2'),
  VAULT_SECRET_PATH: vaultPath('the secret path inside VAULT_KV_MOUNT, e.g. calendar-relay'),
  VAULT_NAMESPACE: vaultPath('the Vault Enterprise / HCP namespace'),
  VAULT_CACERT: optionalText,
  VAULT_REFRESH_SECONDS: integer('seconds between re-reads of the secret; 0: never', 0, 86400, 300),
  VAULT_STARTUP_ATTEMPTS: integer('reads of the secret at start-up before giving up', 1, 20, 5),
  VAULT_STARTUP_BACKOFF_MS: integer(
    'first delay between start-up attempts, doubled each time',
    10,
    60000,
    1000,
  ),
  VAULT_REQUEST_TIMEOUT_MS: integer('how long one Vault request may take', 100, 120000, 10000),
  SECRETS_DIR: optionalText,
  SECRETS_REFRESH_SECONDS: integer(
    'seconds between re-reads of SECRETS_DIR; 0: never',
    0,
    86400,
    60,
  ),
  GOOGLE_SECRET_GRACE_SECONDS: integer(
    'how long a rotated-out Google client secret keeps working; 0: not at all',
    0,
    604800,
    3600,
  ),
});

/** Every key this schema reads: they configure the sources and never come from one. */
export const SECRET_SOURCE_SETTING_KEYS: readonly string[] = Object.keys(secretSourceSchema.shape);

/**
 * Parses the secret-source settings from the environment. Throws ConfigurationError naming every
 * bad or missing key at once.
 */
export function parseSecretSourceSettings(
  env: Readonly<Record<string, string | undefined>>,
): SecretSourceSettings {
  const picked: Record<string, string | undefined> = {};
  for (const key of SECRET_SOURCE_SETTING_KEYS) picked[key] = env[key];
  const result = secretSourceSchema.safeParse(picked);
  if (!result.success) throw new ConfigurationError(problemsOf(result.error));
  const s = result.data;

  const warnings: string[] = [];
  const problems: string[] = [];
  let vault: VaultSettings | undefined;

  if (s.VAULT_ADDR === undefined) {
    for (const key of tenantSecretPathKeys(env)) {
      problems.push(
        `${key} is set, but VAULT_ADDR is not (a tenant's own secret is read from the relay's Vault, with its login)`,
      );
    }
    const stray = Object.keys(picked).filter(
      (k) => k.startsWith('VAULT_') && picked[k] !== undefined && picked[k]?.trim() !== '',
    );
    if (stray.length > 0) {
      warnings.push(
        `${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but VAULT_ADDR is not: Vault is not used`,
      );
    }
  } else {
    const auth = vaultAuth(s, problems);
    if (s.VAULT_SECRET_PATH === undefined) {
      problems.push(
        'VAULT_SECRET_PATH is required when VAULT_ADDR is set (the secret path inside VAULT_KV_MOUNT, e.g. calendar-relay)',
      );
    } else if (
      s.VAULT_KV_VERSION === '2' &&
      s.VAULT_SECRET_PATH.startsWith(`${s.VAULT_KV_MOUNT}/data/`)
    ) {
      const inner = s.VAULT_SECRET_PATH.slice(`${s.VAULT_KV_MOUNT}/data/`.length);
      problems.push(
        `VAULT_SECRET_PATH is the path inside VAULT_KV_MOUNT (${s.VAULT_KV_MOUNT}): write ${inner}, not the API path ${s.VAULT_SECRET_PATH}`,
      );
    }
    const tenantSecrets = tenantSecretsOf(env, s.VAULT_KV_MOUNT!, s.VAULT_KV_VERSION, problems);
    if (auth !== undefined && s.VAULT_SECRET_PATH !== undefined && problems.length === 0) {
      vault = {
        address: s.VAULT_ADDR,
        namespace: s.VAULT_NAMESPACE,
        caCertFile: s.VAULT_CACERT,
        auth,
        kv: {
          mount: s.VAULT_KV_MOUNT!,
          path: s.VAULT_SECRET_PATH,
          version: s.VAULT_KV_VERSION === '1' ? 1 : 2,
        },
        tenantSecrets,
        refreshSeconds: s.VAULT_REFRESH_SECONDS,
        startup: { attempts: s.VAULT_STARTUP_ATTEMPTS, firstBackoffMs: s.VAULT_STARTUP_BACKOFF_MS },
        requestTimeoutMs: s.VAULT_REQUEST_TIMEOUT_MS,
      };
      const host = new URL(s.VAULT_ADDR).hostname;
      if (s.VAULT_ADDR.startsWith('http:') && !isLoopback(host)) {
        warnings.push(
          `VAULT_ADDR uses http:// to ${host}: the Vault token and the secrets cross the network unencrypted`,
        );
      }
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  return {
    vault,
    secretsDir:
      s.SECRETS_DIR === undefined
        ? undefined
        : { path: s.SECRETS_DIR, refreshSeconds: s.SECRETS_REFRESH_SECONDS },
    googleSecretGraceSeconds: s.GOOGLE_SECRET_GRACE_SECONDS,
    warnings,
  };
}

/** TENANT_<NAME>_VAULT_SECRET_PATH keys that are set. */
function tenantSecretPathKeys(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(env).filter(
    (k) => splitTenantKey(k)?.suffix === TENANT_SECRET_PATH_SUFFIX && (env[k] ?? '').trim() !== '',
  );
}

const tenantSecretPath = vaultPath("the tenant's own secret, a path inside VAULT_KV_MOUNT");

function tenantSecretsOf(
  env: Readonly<Record<string, string | undefined>>,
  mount: string,
  version: '1' | '2',
  problems: string[],
): VaultSettings['tenantSecrets'] {
  const keys = tenantSecretPathKeys(env);
  if (keys.length === 0) return [];
  const names = readTenantNames(env.TENANTS);
  if ('problem' in names) {
    problems.push(`TENANTS ${names.problem}`);
    return [];
  }
  for (const key of keys) {
    const name = tenantNameOfPrefix(splitTenantKey(key)!.prefix);
    if (tenantKey(name, TENANT_SECRET_PATH_SUFFIX) !== key || !names.names.includes(name)) {
      problems.push(
        names.names.length === 0
          ? `${key} is set, but TENANTS is not (set TENANTS=${name} to serve that tenant, or remove ${key})`
          : `${key} is set, but TENANTS (${names.names.join(',')}) does not name ${name}`,
      );
    }
  }
  const secrets: { tenant: string; kv: VaultKvSettings }[] = [];
  for (const tenant of names.names) {
    const key = tenantKey(tenant, TENANT_SECRET_PATH_SUFFIX);
    if ((env[key] ?? '').trim() === '') continue;
    const parsed = tenantSecretPath.safeParse(env[key]);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error).map((p) => `${key}${p}`));
    } else if (version === '2' && parsed.data!.startsWith(`${mount}/data/`)) {
      problems.push(
        `${key} is the path inside VAULT_KV_MOUNT (${mount}): write ${parsed.data!.slice(`${mount}/data/`.length)}, not the API path ${parsed.data}`,
      );
    } else {
      secrets.push({ tenant, kv: { mount, path: parsed.data!, version: version === '1' ? 1 : 2 } });
    }
  }
  return secrets;
}

function vaultAuth(
  s: z.infer<typeof secretSourceSchema>,
  problems: string[],
): VaultAuthSettings | undefined {
  switch (s.VAULT_AUTH) {
    case 'token':
      if (s.VAULT_TOKEN === undefined) {
        problems.push('VAULT_TOKEN is required when VAULT_AUTH is token (the default)');
        return undefined;
      }
      return { method: 'token', token: s.VAULT_TOKEN };
    case 'approle':
      if (s.VAULT_ROLE_ID === undefined) {
        problems.push('VAULT_ROLE_ID is required when VAULT_AUTH is approle');
      }
      if (s.VAULT_SECRET_ID !== undefined && s.VAULT_SECRET_ID_FILE !== undefined) {
        problems.push('VAULT_SECRET_ID and VAULT_SECRET_ID_FILE are both set: set only one');
      }
      if (problems.length > 0 || s.VAULT_ROLE_ID === undefined) return undefined;
      return {
        method: 'approle',
        mount: s.VAULT_APPROLE_MOUNT!,
        roleId: s.VAULT_ROLE_ID,
        secretId: s.VAULT_SECRET_ID,
        secretIdFile: s.VAULT_SECRET_ID_FILE,
      };
    case 'kubernetes':
      if (s.VAULT_K8S_ROLE === undefined) {
        problems.push(
          'VAULT_K8S_ROLE is required when VAULT_AUTH is kubernetes (the Vault role name)',
        );
        return undefined;
      }
      return {
        method: 'kubernetes',
        mount: s.VAULT_K8S_MOUNT!,
        role: s.VAULT_K8S_ROLE,
        tokenFile: s.VAULT_K8S_TOKEN_FILE,
      };
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** How the secret is named in logs and errors: `<mount>/<path>` and, for KV v2, the API path. */
export function describeVaultSecret(kv: VaultKvSettings): string {
  return kv.version === 2 ? `${kv.mount}/data/${kv.path}` : `${kv.mount}/${kv.path}`;
}
