import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { AvailabilityHealthIndicator } from './availability.health';
import { SecretSourceHealthIndicator } from './secret-source.health';
import { ShutdownHealthIndicator } from './shutdown.health';

/**
 * Probes. Liveness is the process alone (a Graph outage must not make Kubernetes restart every
 * replica); readiness is "can answer lookups now": not shutting down, and the availability
 * provider has what it needs; it also shows the secret sources (Vault), see
 * SecretSourceHealthIndicator. /health-check is the same readiness for plain monitors.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: ShutdownHealthIndicator,
    private readonly availability: AvailabilityHealthIndicator,
    private readonly secrets: SecretSourceHealthIndicator,
  ) {}

  // @HealthCheck also marks the answers uncacheable and documents them for Swagger.
  @Get('health/live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('health/ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  /** The URL the setup guide gives monitoring: 200 "ok" when ready, 503 otherwise. */
  @Get('health-check')
  async healthCheck(@Res() reply: FastifyReply): Promise<void> {
    let ready: boolean;
    try {
      await this.readiness();
      ready = true;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      ready = false;
    }
    void reply
      .status(ready ? 200 : 503)
      .headers({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      .send(ready ? 'ok' : 'unavailable');
  }

  /** Resolves when ready; ServiceUnavailableException (503, Terminus' JSON) otherwise. */
  private readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.shutdown.check(),
      () => this.availability.check(),
      () => this.secrets.check(),
    ]);
  }
}
