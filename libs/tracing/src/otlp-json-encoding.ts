import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/**
 * The OTLP/HTTP JSON encoding of spans (ExportTraceServiceRequest in protobuf JSON mapping:
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): trace and span ids as hex,
 * 64-bit integers as decimal strings, enums as numbers. Pure, so it is unit-tested apart from
 * the HTTP.
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }[];
  links: { traceId: string; spanId: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}

export interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** SpanKind of the API (INTERNAL=0 ... CONSUMER=4) is OTLP's value minus one. */
const otlpKindOf = (kind: number): number => kind + 1;

/** Nanoseconds since the epoch, as the decimal string OTLP JSON wants for a fixed64. */
export function hrTimeToNanosString(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

export function otlpValueOf(value: AttributeValue): OtlpAnyValue {
  if (Array.isArray(value)) {
    return {
      arrayValue: {
        values: (value as unknown[])
          .filter((v) => v !== null && v !== undefined)
          .map((v) => otlpValueOf(v as AttributeValue)),
      },
    };
  }
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  return { stringValue: String(value) };
}

export function otlpAttributesOf(attributes: Attributes): OtlpKeyValue[] {
  return Object.entries(attributes)
    .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, value: otlpValueOf(value) }));
}

export function otlpSpanOf(span: ReadableSpan): OtlpSpan {
  const context = span.spanContext();
  const parentSpanId = span.parentSpanContext?.spanId;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parentSpanId !== undefined ? { parentSpanId } : {}),
    ...(context.traceState !== undefined ? { traceState: context.traceState.serialize() } : {}),
    name: span.name,
    kind: otlpKindOf(span.kind),
    startTimeUnixNano: hrTimeToNanosString(span.startTime),
    endTimeUnixNano: hrTimeToNanosString(span.endTime),
    attributes: otlpAttributesOf(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: hrTimeToNanosString(event.time),
      name: event.name,
      attributes: otlpAttributesOf(event.attributes ?? {}),
    })),
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      attributes: otlpAttributesOf(link.attributes ?? {}),
    })),
    status: {
      code: span.status.code,
      ...(span.status.message !== undefined ? { message: span.status.message } : {}),
    },
  };
}

/**
 * One request body for a batch: spans grouped by resource, then by instrumentation scope.
 * `resourceOverrides` (service.name) win over the spans' own resource attributes.
 */
export function encodeOtlpTraceRequest(
  spans: readonly ReadableSpan[],
  resourceOverrides: Attributes = {},
): OtlpTraceRequest {
  const byResource = new Map<unknown, Map<string, { scope: OtlpScope; spans: OtlpSpan[] }>>();
  const resources = new Map<unknown, Attributes>();
  for (const span of spans) {
    resources.set(span.resource, span.resource.attributes);
    let byScope = byResource.get(span.resource);
    if (byScope === undefined) {
      byScope = new Map<string, { scope: OtlpScope; spans: OtlpSpan[] }>();
      byResource.set(span.resource, byScope);
    }
    const { name, version } = span.instrumentationScope;
    const scopeKey = `${name}@${version ?? ''}`;
    let group = byScope.get(scopeKey);
    if (group === undefined) {
      group = { scope: { name, ...(version !== undefined ? { version } : {}) }, spans: [] };
      byScope.set(scopeKey, group);
    }
    group.spans.push(otlpSpanOf(span));
  }
  return {
    resourceSpans: [...byResource].map(([resource, byScope]) => ({
      resource: {
        attributes: otlpAttributesOf({ ...resources.get(resource), ...resourceOverrides }),
      },
      scopeSpans: [...byScope.values()],
    })),
  };
}

interface OtlpScope {
  name: string;
  version?: string;
}
