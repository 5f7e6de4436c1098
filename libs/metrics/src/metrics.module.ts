import { Global, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RelayConfigStore } from '@app/config';
import { UpstreamObserver } from '@app/availability';
import { MetricsController } from './metrics.controller';
import { RelayMetrics } from './relay-metrics';

/**
 * `/metrics` and the RelayMetrics every layer may count into (optionally: each works without
 * it). Global, so the token endpoint and the EWS operation reach it without importing this
 * module. Binds the availability providers' optional UpstreamObserver port to RelayMetrics and
 * follows the secret sources' refreshes and the configured tenants. Every EWS request, refusals included, is counted from
 * the onResponse hook of configure-app.ts.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [RelayMetrics, { provide: UpstreamObserver, useExisting: RelayMetrics }],
  exports: [RelayMetrics, UpstreamObserver],
})
export class MetricsModule implements OnModuleInit, OnModuleDestroy {
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly metrics: RelayMetrics,
    private readonly store: RelayConfigStore,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.store.onRefresh((refresh) => this.metrics.configRefreshed(refresh)),
      this.store.onChange((next) =>
        this.metrics.tenantsConfigured(next.tenants.map((t) => t.name)),
      ),
    );
    this.metrics.tenantsConfigured(this.store.current().tenants.map((t) => t.name));
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }
}
