/**
 * Tracing settings, from the standard OpenTelemetry environment variables (not relay keys):
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 *
 * On only when asked for: OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint is set; off whenever
 * OTEL_SDK_DISABLED=true. Only the OTLP/HTTP JSON encoding is sent (the built-in exporter).
 */
export interface TracingSettings {
  /** Where spans are POSTed: the traces endpoint, or `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`. */
  readonly tracesUrl: string;
  /** OTEL_EXPORTER_OTLP_HEADERS (and _TRACES_HEADERS), e.g. an API key of the collector. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** OTEL_EXPORTER_OTLP_TRACES_TIMEOUT / OTEL_EXPORTER_OTLP_TIMEOUT, default 10 s. */
  readonly timeoutMs: number;
  /**
   * The batch span processor's OTEL_BSP_* settings, those set (the SDK's defaults otherwise).
   * OpenTelemetry JS 3 no longer reads them from the environment itself, so the relay does.
   */
  readonly batch: {
    readonly scheduledDelayMillis?: number;
    readonly exportTimeoutMillis?: number;
    readonly maxQueueSize?: number;
    readonly maxExportBatchSize?: number;
  };
}

export const DEFAULT_SERVICE_NAME = 'calendar-relay';
const DEFAULT_ENDPOINT = 'http://localhost:4318';
const DEFAULT_TIMEOUT_MS = 10_000;

type Env = Readonly<Record<string, string | undefined>>;

const valueOf = (env: Env, key: string): string | undefined => {
  const value = env[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** The settings, or undefined when tracing is off (nothing is then registered). */
export function tracingSettingsFrom(env: Env): TracingSettings | undefined {
  if (valueOf(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const exporters = (valueOf(env, 'OTEL_TRACES_EXPORTER') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase());
  if (exporters.includes('none')) return undefined;
  const tracesEndpoint = valueOf(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!exporters.includes('otlp') && tracesEndpoint === undefined && endpoint === undefined) {
    return undefined;
  }
  return {
    // The signal-specific endpoint is used as given; the general one gets the signal's path.
    tracesUrl: tracesEndpoint ?? `${(endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`,
    headers: {
      ...parseOtlpHeaders(valueOf(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
      ...parseOtlpHeaders(valueOf(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    },
    serviceName: valueOf(env, 'OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
    timeoutMs:
      positiveInteger(valueOf(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT')) ??
      positiveInteger(valueOf(env, 'OTEL_EXPORTER_OTLP_TIMEOUT')) ??
      DEFAULT_TIMEOUT_MS,
    batch: batchSettingsFrom(env),
  };
}

/** OTEL_BSP_* (the specification's batch span processor variables), the valid ones only. */
function batchSettingsFrom(env: Env): TracingSettings['batch'] {
  const batch: { -readonly [K in keyof TracingSettings['batch']]: number } = {};
  const read = (key: string, into: keyof TracingSettings['batch']) => {
    const value = positiveInteger(valueOf(env, key));
    if (value !== undefined) batch[into] = value;
  };
  read('OTEL_BSP_SCHEDULE_DELAY', 'scheduledDelayMillis');
  read('OTEL_BSP_EXPORT_TIMEOUT', 'exportTimeoutMillis');
  read('OTEL_BSP_MAX_QUEUE_SIZE', 'maxQueueSize');
  read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'maxExportBatchSize');
  return batch;
}

/** `k1=v1,k2=v2` (values URL-encoded, as the specification says); malformed pairs are skipped. */
export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase();
    let value = pair.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not URL-encoded after all: used as written.
    }
    if (key !== '') headers[key] = value;
  }
  return headers;
}

function positiveInteger(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value > 0 ? value : undefined;
}
