export { TracingModule } from './tracing.module';
export { RelayTracing } from './relay-tracing';
export type { ClientSpan, TracedRequest } from './relay-tracing';
export { tracingSettingsFrom } from './tracing-settings';
export type { TracingSettings } from './tracing-settings';
