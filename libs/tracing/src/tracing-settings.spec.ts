import { parseOtlpHeaders, tracingSettingsFrom } from './tracing-settings';

describe('tracingSettingsFrom', () => {
  it('is off without any OTEL_* variable', () => {
    expect(tracingSettingsFrom({})).toBeUndefined();
    expect(tracingSettingsFrom({ OTEL_SERVICE_NAME: 'relay' })).toBeUndefined();
  });

  it('is on with an OTLP endpoint, posting to its /v1/traces', () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toEqual({
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      headers: {},
      serviceName: 'calendar-relay',
      timeoutMs: 10_000,
      batch: {},
    });
  });

  it('uses the traces endpoint as given, over the general one', () => {
    expect(
      tracingSettingsFrom({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9999/custom',
      })?.tracesUrl,
    ).toBe('http://127.0.0.1:9999/custom');
  });

  it('is on with OTEL_TRACES_EXPORTER=otlp alone, at the default local collector', () => {
    expect(tracingSettingsFrom({ OTEL_TRACES_EXPORTER: 'otlp' })?.tracesUrl).toBe(
      'http://localhost:4318/v1/traces',
    );
  });

  it('is off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, endpoint or not', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(tracingSettingsFrom({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingSettingsFrom({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toBeUndefined();
    expect(tracingSettingsFrom({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(tracingSettingsFrom({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toBeDefined();
  });

  it('takes the service name, headers and timeout', () => {
    const settings = tracingSettingsFrom({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SERVICE_NAME: 'relay-eu',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc,x-tenant=one',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=two',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
    });
    expect(settings).toMatchObject({
      serviceName: 'relay-eu',
      headers: { 'x-api-key': 'abc', 'x-tenant': 'two' },
      timeoutMs: 2500,
    });
  });
});

describe('OTEL_BSP_* batch settings', () => {
  it('hands the valid ones to the batch span processor and leaves the rest to its defaults', () => {
    expect(
      tracingSettingsFrom({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_BSP_SCHEDULE_DELAY: '250',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64',
        OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
        OTEL_BSP_EXPORT_TIMEOUT: '-1',
      })?.batch,
    ).toEqual({ scheduledDelayMillis: 250, maxExportBatchSize: 64 });
  });
});

describe('parseOtlpHeaders', () => {
  it('reads comma-separated key=value pairs, URL-decoded, skipping malformed ones', () => {
    expect(parseOtlpHeaders('Authorization=Basic%20abc%3D, x-a = 1 ,broken,=nokey')).toEqual({
      authorization: 'Basic abc=',
      'x-a': '1',
    });
    expect(parseOtlpHeaders(undefined)).toEqual({});
    expect(parseOtlpHeaders('x=%E0%A4%A')).toEqual({ x: '%E0%A4%A' });
  });
});
