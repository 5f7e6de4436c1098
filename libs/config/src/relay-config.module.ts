import { Global, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { listenerConfig, secretSourcesConfig } from './config-namespaces';
import { ConfigSources } from './config-sources';
import { RelayConfigStore } from './relay-config.store';

/**
 * Loads and validates the configuration once at start-up: the environment-only namespaces
 * (listenerConfig, secretSourcesConfig) through @nestjs/config, then the relay's configuration
 * from the environment plus Vault and/or SECRETS_DIR when configured; a bad key or an unreadable
 * secret stops the app before it listens. Provides the RelayConfigStore everywhere; the sources
 * refresh it from application bootstrap until shutdown (ConfigSources' lifecycle hooks start and
 * stop the timers and revoke the relay's own Vault login token).
 *
 * No `.env` here: main.ts has read it into the environment already (loadDotEnv), once.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [listenerConfig, secretSourcesConfig],
    }),
  ],
  providers: [
    {
      provide: ConfigSources,
      inject: [secretSourcesConfig.KEY],
      useFactory: (settings: ConfigType<typeof secretSourcesConfig>) =>
        ConfigSources.open(process.env, { settings }),
    },
    {
      provide: RelayConfigStore,
      inject: [ConfigSources],
      useFactory: (sources: ConfigSources) => new RelayConfigStore(sources.current(), sources),
    },
  ],
  exports: [RelayConfigStore],
})
export class RelayConfigModule {}
