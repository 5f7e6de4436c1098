import { Logger } from '@nestjs/common';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OtlpJsonSpanExporter } from './otlp-json-exporter';
import type { TracingSettings } from './tracing-settings';

const settings: TracingSettings = {
  tracesUrl: 'http://user:pw@127.0.0.1:4318/v1/traces',
  headers: { 'x-api-key': 'collector-secret' },
  serviceName: 'calendar-relay',
  timeoutMs: 1000,
  batch: {},
};

function exportWith(send: typeof fetch): Promise<ExportResult> {
  const exporter = new OtlpJsonSpanExporter(settings, send);
  return new Promise((resolve) => exporter.export([], resolve));
}

describe('OtlpJsonSpanExporter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('POSTs the JSON encoding with the configured headers', async () => {
    const send = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>(() =>
      Promise.resolve(new Response('{}', { status: 200 })),
    );
    expect(await exportWith(send)).toEqual({ code: ExportResultCode.SUCCESS });
    const [url, init] = send.mock.calls[0];
    expect(url).toBe(settings.tracesUrl);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({
      'x-api-key': 'collector-secret',
      'content-type': 'application/json',
    });
    expect(JSON.parse(init?.body as string)).toEqual({ resourceSpans: [] });
  });

  it('reports a refused or failed export without logging headers or credentials', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const refused = await exportWith(() => Promise.resolve(new Response('', { status: 503 })));
    expect(refused.code).toBe(ExportResultCode.FAILED);
    const failed = await exportWith(() => Promise.reject(new Error('fetch failed')));
    expect(failed.code).toBe(ExportResultCode.FAILED);
    const logged = warn.mock.calls.map((call) => String(call[0])).join('\n');
    expect(logged).toContain('http://127.0.0.1:4318/v1/traces');
    expect(logged).toContain('503');
    expect(logged).not.toContain('collector-secret');
    expect(logged).not.toContain('pw');
  });

  it('refuses exports after shutdown', async () => {
    const send = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
    const exporter = new OtlpJsonSpanExporter(settings, send);
    await exporter.shutdown();
    const result = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(send).not.toHaveBeenCalled();
  });
});
