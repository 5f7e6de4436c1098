import { Global, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RelayConfigStore } from '@app/config';
import { UpstreamObserver } from '@app/availability';
import { isEwsRoute } from './ews-request-outcome';
import { MetricsController } from './metrics.controller';
import { RelayMetrics } from './relay-metrics';

/**
 * `/metrics` and the RelayMetrics every layer may count into (optionally: each works without
 * it). Global, so the token endpoint and the EWS operation reach it without importing this
 * module. Binds the availability providers' optional UpstreamObserver port to RelayMetrics, follows the
 * secret sources' refreshes, and counts every EWS request, including the ones the bearer guard
 * or the IP allowlist refuse, from a Fastify onResponse hook.
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
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.store.onRefresh((refresh) => this.metrics.configRefreshed(refresh));
    // Runs before Fastify is ready: its hooks apply to every route, whenever added before then.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      if (isEwsRoute(request.method, request.routeOptions.url)) {
        this.metrics.ewsRequestEnded(request, reply.statusCode, reply.elapsedTime);
      }
      done();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
