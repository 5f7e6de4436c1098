import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ConfigSources } from './config-sources';
import { configSourcesOf, relayConfig } from './relay-config';
import { RelayConfigStore } from './relay-config.store';

/**
 * Loads and validates the configuration once at start-up, from the environment (and .env) plus
 * Vault and/or SECRETS_DIR when configured: a bad key or an unreadable secret stops the app
 * before it listens. Provides the RelayConfigStore everywhere; the sources refresh it from
 * application bootstrap until shutdown (ConfigSources' lifecycle hooks start and stop the
 * timers and revoke the relay's own Vault login token).
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      envFilePath: ['.env'],
      load: [relayConfig],
    }),
  ],
  providers: [
    { provide: ConfigSources, inject: [relayConfig.KEY], useFactory: configSourcesOf },
    RelayConfigStore,
  ],
  exports: [RelayConfigStore],
})
export class RelayConfigModule {}
