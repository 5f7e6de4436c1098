import { Logger } from '@nestjs/common';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { encodeOtlpTraceRequest } from './otlp-json-encoding';
import type { TracingSettings } from './tracing-settings';

/**
 * A small OTLP/HTTP exporter with the JSON encoding. The official
 * @opentelemetry/exporter-trace-otlp-http pulls in protobufjs, whose install script the image
 * (npm ci --ignore-scripts) and test/deploy refuse; an OTLP collector accepts JSON on the same
 * `/v1/traces` path, so one fetch per batch is all that is needed.
 *
 * A failed export is logged (the URL and status only: never the headers, which may hold a
 * collector's API key) and the batch dropped: tracing must never hold up a lookup.
 */
export class OtlpJsonSpanExporter implements SpanExporter {
  private readonly logger = new Logger('Tracing');
  private readonly pending = new Set<Promise<void>>();
  /** The endpoint as logged: without any user or password in it. */
  private readonly where: string;
  private stopped = false;
  /** Logged once per run of failures, not once per batch. */
  private failing = false;

  constructor(
    private readonly settings: TracingSettings,
    private readonly send: typeof fetch = fetch,
  ) {
    this.where = withoutCredentials(settings.tracesUrl);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter shut down') });
      return;
    }
    const body = JSON.stringify(
      encodeOtlpTraceRequest(spans, { 'service.name': this.settings.serviceName }),
    );
    const sent = this.post(body).then(resultCallback);
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }

  private async post(body: string): Promise<ExportResult> {
    try {
      const response = await this.send(this.settings.tracesUrl, {
        method: 'POST',
        headers: { ...this.settings.headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      // The body is read so that the connection can be reused; its content does not matter.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) {
        return this.failed(`the collector answered ${response.status}`);
      }
      if (this.failing) this.logger.log(`exporting spans to ${this.where} again`);
      this.failing = false;
      return { code: ExportResultCode.SUCCESS };
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
      return this.failed(
        `${error instanceof Error ? error.message : String(error)}${typeof cause === 'string' ? `: ${cause}` : ''}`,
      );
    }
  }

  private failed(why: string): ExportResult {
    if (!this.failing) {
      this.logger.warn(`could not export spans to ${this.where}: ${why}`);
    }
    this.failing = true;
    return { code: ExportResultCode.FAILED, error: new Error(why) };
  }
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(an unreadable OTLP endpoint)';
  }
}
