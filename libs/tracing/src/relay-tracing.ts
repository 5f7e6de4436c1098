import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { currentRequestContext, type RequestContext } from '@app/request-context';
import { OtlpJsonSpanExporter } from './otlp-json-exporter';
import type { TracingSettings } from './tracing-settings';

/** What the facade needs of an HTTP request (a FastifyRequest has it). */
export interface TracedRequest {
  readonly id: unknown;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A CLIENT span in progress: the headers to send with the call, and how to end it. */
export interface ClientSpan {
  /** `traceparent` (and `tracestate`) for the outgoing request; empty when tracing is off. */
  readonly headers: Readonly<Record<string, string>>;
  end(attributes: Attributes, failed: boolean): void;
}

const NO_CLIENT_SPAN: ClientSpan = { headers: {}, end: () => undefined };

/**
 * The relay's tracing, as a facade every layer may call (optionally: each works without it).
 * Off (every method a no-op, nothing registered) unless the OTEL_* variables ask for it; see
 * tracing-settings.ts. When on: a TracerProvider of its own (not the global one, so that
 * several apps in one process each trace their own traffic) with a BatchSpanProcessor and the
 * OTLP/HTTP JSON exporter, flushed when the app closes.
 *
 * Spans: one SERVER span per EWS request, continuing an incoming W3C `traceparent`, and one
 * CLIENT span per Graph getSchedule call, its child, whose `traceparent` goes to Graph. The
 * SERVER span is kept in the request's context, which reaches the Graph client as the current
 * one (@app/request-context; no global context manager). Attributes are counts, fixed
 * vocabularies and configured names (a CLIENT span's `relay.tenant`): never an address, a
 * subject, a token or a secret.
 */
@Injectable()
export class RelayTracing implements OnApplicationShutdown {
  private readonly provider?: TracerProvider;
  private readonly tracer?: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(settings?: TracingSettings) {
    if (settings === undefined) return;
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
      spanProcessors: [
        new BatchSpanProcessor({ exporter: new OtlpJsonSpanExporter(settings), ...settings.batch }),
      ],
    });
    this.tracer = this.provider.getTracer('calendar-relay');
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** Starts the SERVER span of an EWS request (from the onRequest hook) in its context. */
  requestStarted(request: TracedRequest, context: RequestContext): void {
    if (this.tracer === undefined) return;
    const parent = this.propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
    const queryAt = request.url.indexOf('?');
    context.span = this.tracer.startSpan(
      'EWS request',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': queryAt < 0 ? request.url : request.url.slice(0, queryAt),
          'relay.request_id': context.requestId,
        },
      },
      parent,
    );
  }

  /**
   * Ends it with the status answered (from the onResponse hook), named after the EWS operation
   * the body asked for (`EWS GetUserAvailability`) when it was read.
   */
  requestEnded(context: RequestContext, statusCode: number): void {
    const span = context.span;
    if (span === undefined) return;
    if (context.operation !== undefined) span.updateName(`EWS ${context.operation}`);
    span.setAttribute('http.response.status_code', statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** Adds attributes to the request's span: counts and fixed vocabularies only. */
  annotate(context: RequestContext, attributes: Attributes): void {
    context.span?.setAttributes(attributes);
  }

  /** Starts a CLIENT span, child of the current request's span (if any). */
  startClientSpan(name: string, attributes: Attributes): ClientSpan {
    if (this.tracer === undefined) return NO_CLIENT_SPAN;
    const serverSpan = currentRequestContext()?.span;
    const parent =
      serverSpan === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, serverSpan);
    const span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
    return {
      headers,
      end: (endAttributes, failed) => {
        span.setAttributes(endAttributes);
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }

  /** Exports what is still buffered. */
  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  async onApplicationShutdown(): Promise<void> {
    // Flushes the BatchSpanProcessor, then stops it.
    await this.provider?.shutdown();
  }
}
