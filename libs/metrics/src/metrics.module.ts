import { Global, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RelayConfigStore } from '@app/config';
import { UpstreamObserver } from '@app/availability';
import { MetricsController } from './metrics.controller';
import { RelayMetrics } from './relay-metrics';

/**
 * `/metrics` and the RelayMetrics every layer may count into (optionally: each works without
 * it). Global, so the token endpoint and the EWS operation reach it without importing this
 * module. Binds the availability providers' optional UpstreamObserver port to RelayMetrics and
 * follows the secret sources' refreshes. Every EWS request, refusals included, is counted from
 * the onResponse hook of configure-app.ts.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [RelayMetrics, { provide: UpstreamObserver, useExisting: RelayMetrics }],
  exports: [RelayMetrics, UpstreamObserver],
})
export class MetricsModule implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly metrics: RelayMetrics,
    private readonly store: RelayConfigStore,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.store.onRefresh((refresh) => this.metrics.configRefreshed(refresh));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
