export { HealthModule, shutdownDrainMsOf } from './health.module';
export { SHUTDOWN_DRAIN_MS, ShutdownState } from './shutdown-state';
export { AvailabilityHealthIndicator, READINESS_CHECK_TIMEOUT_MS } from './availability.health';
export { ShutdownHealthIndicator } from './shutdown.health';
