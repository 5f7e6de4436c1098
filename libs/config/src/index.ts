export { AddressRanges, GOOGLE_INTEROP_RANGES, normalizeAddress } from './address-ranges';
export { ConfigurationError } from './configuration-error';
export {
  LISTENER_KEYS,
  parseListenerSettings,
  parseRelayConfig,
  RELAY_CONFIG_KEYS,
  relayConfigSchema,
} from './relay-config.schema';
export type {
  GoogleClientSettings,
  GraphSettings,
  ListenerSettings,
  RelayConfig,
  TenantSettings,
} from './relay-config.schema';
export {
  DEFAULT_TENANT,
  isTenantConfigKey,
  splitTenantKey,
  TENANT_KEY_SUFFIXES,
  TENANT_SECRET_PATH_SUFFIX,
  tenantKey,
  tenantKeyPrefix,
} from './tenant-keys';
export type { TenantKeySuffix } from './tenant-keys';
export type { ConfiguredRoomListSettings, RoomEntrySettings, RoomSettings } from './room-settings';
export {
  parseSecretSourceSettings,
  SECRET_SOURCE_SETTING_KEYS,
  secretSourceSchema,
} from './secret-source.settings';
export type {
  SecretSourceSettings,
  VaultAuthMethod,
  VaultSettings,
} from './secret-source.settings';
export { SECRET_SOURCE_KEYS } from './config-merge';
export type { ConfigSourceName } from './config-merge';
export type {
  ConfigChange,
  ConfigRefreshOutcome,
  ConfigSourceHealth,
  ConfigSourceRefresh,
  RefreshScope,
} from './config-source-health';
export { listenerConfig, secretSourcesConfig } from './config-namespaces';
export { ConfigSources } from './config-sources';
export { loadDotEnv } from './dot-env';
export { SecretSourceUnavailableError } from './source-opening';
export { RelayConfigModule } from './relay-config.module';
export { RelayConfigStore } from './relay-config.store';
export type { RelayConfigListener } from './relay-config.store';
