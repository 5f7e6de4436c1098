import {
  configValuesOfSecret,
  configValuesOfTenantSecret,
  describeProvenance,
  mergeConfigSources,
  type ConfigSourceName,
  type IgnoredKey,
  type MergedConfig,
} from './config-merge';
import { ConfigurationError } from './configuration-error';
import { parseRelayConfig, type RelayConfig } from './relay-config.schema';
import { detailOf, type SecretSnapshot, type SecretSource } from './secret-source';

/** One source's values, as read. */
export interface SourceReading {
  readonly source: SecretSource;
  readonly snapshot: SecretSnapshot;
}

export interface ComposedConfig {
  readonly config: RelayConfig;
  readonly merged: MergedConfig;
  /** Per source, the keys it holds that the relay does not read. */
  readonly ignored: ReadonlyMap<ConfigSourceName, readonly IgnoredKey[]>;
}

/**
 * The configuration from the secret sources' readings over the environment: merged (a tenant's
 * own secret first for its keys, then the others in the order given), then parsed. Pure.
 * Throws ConfigurationError; when secret sources are involved its last problem says where keys
 * were looked for, since a key missing from Vault otherwise reads like a typo in the
 * environment.
 */
export function composeConfig(
  readings: readonly SourceReading[],
  env: Readonly<Record<string, string | undefined>>,
): ComposedConfig {
  const ignored = new Map<ConfigSourceName, IgnoredKey[]>();
  const refused: string[] = [];
  const ordered = [
    ...readings.filter((r) => r.source.tenant !== undefined),
    ...readings.filter((r) => r.source.tenant === undefined),
  ];
  const layers = ordered.map(({ source, snapshot }) => {
    if (source.tenant === undefined) {
      const mapped = configValuesOfSecret(snapshot.values);
      ignored.set(source.name, mapped.ignored);
      return { name: source.name, values: mapped.values };
    }
    const mapped = configValuesOfTenantSecret(snapshot.values, source.tenant);
    ignored.set(source.name, mapped.ignored);
    const where = `${source.name} (${detailOf(source, snapshot)})`;
    refused.push(...mapped.refused.map((line) => `${where}: ${line}`));
    return { name: source.name, values: mapped.values };
  });
  const merged = mergeConfigSources(layers, env);
  const problems = [...refused];
  let config: RelayConfig | undefined;
  try {
    config = parseRelayConfig(merged.values);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
  }
  if (config !== undefined && problems.length === 0) return { config, merged, ignored };
  if (readings.length === 0) throw new ConfigurationError(problems);
  throw new ConfigurationError([
    ...problems,
    `keys were read from ${describeProvenance(merged.provenance, labelsOf(readings))} (secret keys are the lower-case names, e.g. google_client_secret)`,
  ]);
}

/** Per source, how the log names it: `secret/data/relay at https://vault:8200, version 3`. */
export function labelsOf(
  readings: readonly SourceReading[],
): Partial<Record<ConfigSourceName, string>> {
  const labels: Partial<Record<ConfigSourceName, string>> = {};
  for (const { source, snapshot } of readings) labels[source.name] = detailOf(source, snapshot);
  return labels;
}
