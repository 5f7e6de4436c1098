import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RelayTracing } from './relay-tracing';
import { tracingSettingsFrom } from './tracing-settings';

/** The EWS routes (routes are case-insensitive; Fastify reports the declared path). */
const EWS_ROUTES: ReadonlySet<string> = new Set(['/', '/ews/exchange.asmx']);

/**
 * RelayTracing for every layer (global, like the metrics). The OTEL_* variables are read when
 * the module is built; with tracing off no hook is added and nothing is registered. With it on,
 * Fastify hooks start and end one SERVER span per EWS request, guard refusals included.
 */
@Global()
@Module({
  providers: [
    { provide: RelayTracing, useFactory: () => new RelayTracing(tracingSettingsFrom(process.env)) },
  ],
  exports: [RelayTracing],
})
export class TracingModule implements OnModuleInit {
  constructor(
    private readonly tracing: RelayTracing,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (!this.tracing.enabled) return;
    // Runs before Fastify is ready: its hooks apply to every route, whenever added before then.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done) => {
      if (isEwsRoute(request)) this.tracing.requestStarted(request);
      done();
    });
    fastify?.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      this.tracing.requestEnded(request, reply.statusCode);
      done();
    });
  }
}

function isEwsRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return request.method === 'POST' && route !== undefined && EWS_ROUTES.has(route.toLowerCase());
}
