export { MetricsModule } from './metrics.module';
export { NO_TENANT_LABEL, RelayMetrics } from './relay-metrics';
export type { MailboxOutcomeCount } from './relay-metrics';
export { ewsRequestOutcomeOf } from './ews-request-outcome';
export type { EwsOperationLabel, EwsRequestOutcome } from './ews-request-outcome';
