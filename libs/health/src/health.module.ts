import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RelayConfigStore, type RelayConfig } from '@app/config';
import { AvailabilityHealthIndicator } from './availability.health';
import { HealthController } from './health.controller';
import { SecretSourceHealthIndicator } from './secret-source.health';
import { ShutdownHealthIndicator } from './shutdown.health';
import { SHUTDOWN_DRAIN_MS, ShutdownState } from './shutdown-state';

/** The drain delay from the configuration (SHUTDOWN_DRAIN_MS, which the Helm chart sets). */
export function shutdownDrainMsOf(config: RelayConfig): number {
  return config.shutdownDrainMs;
}

/**
 * /health/live, /health/ready and /health-check, and the readiness side of graceful shutdown.
 * Needs the AvailabilityProvider port (bound by the app) and RelayConfigStore (global).
 */
@Module({
  // Terminus would log every failed probe with its whole result; the indicators log changes.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [
    {
      provide: SHUTDOWN_DRAIN_MS,
      inject: [RelayConfigStore],
      useFactory: (store: RelayConfigStore) => shutdownDrainMsOf(store.current()),
    },
    ShutdownState,
    ShutdownHealthIndicator,
    AvailabilityHealthIndicator,
    SecretSourceHealthIndicator,
  ],
  exports: [ShutdownState],
})
export class HealthModule {}
