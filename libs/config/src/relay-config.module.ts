import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { relayConfig } from './relay-config';
import { RelayConfigStore } from './relay-config.store';

/**
 * Loads and validates the configuration once at start-up (a bad key stops the app before it
 * listens) and provides the RelayConfigStore everywhere.
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
  providers: [RelayConfigStore],
  exports: [RelayConfigStore],
})
export class RelayConfigModule {}
