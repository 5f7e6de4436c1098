export { ConfigurationError } from './configuration-error';
export { parseListenerSettings, parseRelayConfig, relayConfigSchema } from './relay-config.schema';
export type { GraphSettings, ListenerSettings, RelayConfig } from './relay-config.schema';
export { relayConfig } from './relay-config';
export { RelayConfigModule } from './relay-config.module';
export { RelayConfigStore } from './relay-config.store';
export type { RelayConfigListener } from './relay-config.store';
