import { registerAs } from '@nestjs/config';
import { ConfigSources } from './config-sources';
import type { RelayConfig } from './relay-config.schema';

/**
 * The live sources behind each configuration a `relayConfig` factory produced. A registerAs
 * factory can neither be injected into nor return two things, yet the sources it opened (the
 * Vault login, the last good snapshots) must outlive it to refresh the configuration: the module
 * claims them with configSourcesOf(config). Weak, so an app that is discarded frees them.
 */
const openedSources = new WeakMap<RelayConfig, ConfigSources>();

/**
 * The typed configuration namespace. Inject with
 * `@Inject(relayConfig.KEY) config: ConfigType<typeof relayConfig>`: the configuration as merged
 * at start-up (read RelayConfigStore.current() for the one in force after rotations).
 *
 * Async: with VAULT_ADDR set the secret is read from Vault (with retries) before the app finishes
 * bootstrapping, so a relay that cannot get its secrets never starts listening. ConfigModule has
 * merged the .env file into process.env before this factory runs.
 */
export const relayConfig = registerAs('relay', async (): Promise<RelayConfig> => {
  const sources = await ConfigSources.open(process.env);
  openedSources.set(sources.current(), sources);
  return sources.current();
});

/** The sources that produced `config` (the value of relayConfig.KEY). */
export function configSourcesOf(config: RelayConfig): ConfigSources {
  const sources = openedSources.get(config);
  if (sources === undefined) {
    throw new Error('this configuration was not produced by the relayConfig factory');
  }
  return sources;
}
