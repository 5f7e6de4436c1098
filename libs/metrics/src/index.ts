export { MetricsModule } from './metrics.module';
export { RelayMetrics } from './relay-metrics';
export { ewsRequestOutcomeOf } from './ews-request-outcome';
export type { EwsOperationLabel, EwsRequestOutcome } from './ews-request-outcome';
