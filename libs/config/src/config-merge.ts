import { LISTENER_KEYS, RELAY_CONFIG_KEYS } from './relay-config.schema';
import { SECRET_SOURCE_SETTING_KEYS } from './secret-source.settings';

/**
 * Merging the configuration sources: a Vault secret and a secrets directory hold lower-case key
 * names (google_client_secret), the environment the upper-case ones. The first source that has a
 * key wins (Vault, then files, then the environment), and the provenance of every key is kept so
 * the log can say where each came from. Pure: values go in and out, nothing is read or logged.
 */

export type ConfigSourceName = 'vault' | 'files' | 'env';

/** A secret source's keys, already mapped to the upper-case configuration keys. */
export interface SourceValues {
  readonly name: ConfigSourceName;
  readonly values: Readonly<Record<string, string>>;
}

export type IgnoredKeyReason =
  'unknown' | 'upper-case' | 'listener' | 'source-setting' | 'not-text' | 'empty';

export interface IgnoredKey {
  /** The key as the source spelled it (a name, never a value). */
  readonly key: string;
  readonly reason: IgnoredKeyReason;
}

/** The configuration keys a secret source may supply: all but the listener's. */
export const SECRET_SOURCE_KEYS: readonly string[] = RELAY_CONFIG_KEYS.filter(
  (k) => !LISTENER_KEYS.includes(k),
);

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
      reason = RELAY_CONFIG_KEYS.includes(upper) ? 'upper-case' : 'unknown';
    } else if (LISTENER_KEYS.includes(upper)) reason = 'listener';
    else if (SECRET_SOURCE_SETTING_KEYS.includes(upper)) reason = 'source-setting';
    else if (!SECRET_SOURCE_KEYS.includes(upper)) reason = 'unknown';
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
    case 'not-text':
      return `${key} (not a text value)`;
    case 'empty':
      return `${key} (empty, treated as absent)`;
  }
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
  for (const key of RELAY_CONFIG_KEYS) {
    const from = SECRET_SOURCE_KEYS.includes(key)
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

/**
 * One log line naming, per source, the keys it supplied, e.g.
 * `vault (secret/data/calendar-relay): GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET; env: PORT`.
 * Key names only: this line is logged, and a value may be a secret.
 */
export function describeProvenance(
  provenance: Readonly<Record<string, ConfigSourceName>>,
  labels: Partial<Readonly<Record<ConfigSourceName, string>>> = {},
): string {
  const order: ConfigSourceName[] = ['vault', 'files', 'env'];
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
