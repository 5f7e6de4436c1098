import { Global, Module } from '@nestjs/common';
import { RelayTracing } from './relay-tracing';
import { tracingSettingsFrom } from './tracing-settings';

/**
 * RelayTracing for every layer (global, like the metrics). The OTEL_* variables are read when
 * the module is built; with tracing off nothing is registered. With it on, the app's Fastify
 * hooks (configure-app.ts) start and end one SERVER span per EWS request, guard refusals
 * included.
 */
@Global()
@Module({
  providers: [
    { provide: RelayTracing, useFactory: () => new RelayTracing(tracingSettingsFrom(process.env)) },
  ],
  exports: [RelayTracing],
})
export class TracingModule {}
