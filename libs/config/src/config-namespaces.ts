import { registerAs } from '@nestjs/config';
import { parseListenerSettings, type ListenerSettings } from './relay-config.schema';
import { parseSecretSourceSettings, type SecretSourceSettings } from './secret-source.settings';

/**
 * The typed configuration namespaces (@nestjs/config's registerAs) of the settings that come
 * from the environment only and hold for the life of the process, each validated once at
 * start-up (a bad value fails the module compile, which main.ts turns into its one line).
 * Inject one where it is used: `@Inject(listenerConfig.KEY) listener:
 * ConfigType<typeof listenerConfig>`.
 *
 * The rest of the configuration may come from Vault or SECRETS_DIR and change while the relay
 * runs: RelayConfigStore holds it (current(), onChange).
 */

/** The HTTP listener and logging: port, host, TLS, body limit, TRUST_PROXY, LOG_LEVEL. */
export const listenerConfig = registerAs('listener', (): ListenerSettings =>
  parseListenerSettings(process.env),
);

/** Where the secrets come from (VAULT_*, SECRETS_*, GOOGLE_SECRET_GRACE_SECONDS). */
export const secretSourcesConfig = registerAs('secretSources', (): SecretSourceSettings =>
  parseSecretSourceSettings(process.env),
);
