import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  encodeOtlpTraceRequest,
  hrTimeToNanosString,
  otlpAttributesOf,
  otlpSpanOf,
} from './otlp-json-encoding';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const resource = resourceFromAttributes({ 'service.name': 'unknown_service', 'host.arch': 'x64' });

function spanOf(overrides: Partial<ReadableSpan> & { spanId?: string } = {}): ReadableSpan {
  const { spanId = 'b7ad6b7169203331', ...rest } = overrides;
  return {
    name: 'EWS GetUserAvailability',
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: TRACE_ID, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: {
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    },
    startTime: [1_710_176_400, 123_456_789],
    endTime: [1_710_176_400, 987_654_321],
    status: { code: SpanStatusCode.UNSET },
    attributes: { 'http.request.method': 'POST', 'ews.mailbox_count': 3 },
    links: [],
    events: [],
    duration: [0, 864_197_532],
    ended: true,
    resource,
    instrumentationScope: { name: 'calendar-relay' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...rest,
  };
}

describe('OTLP JSON encoding', () => {
  it('writes times as decimal nanosecond strings, beyond the safe integer range', () => {
    expect(hrTimeToNanosString([1_710_176_400, 123_456_789])).toBe('1710176400123456789');
    expect(hrTimeToNanosString([0, 5])).toBe('5');
  });

  it('types attribute values as OTLP AnyValue', () => {
    expect(
      otlpAttributesOf({
        s: 'text',
        i: 42,
        d: 0.25,
        b: false,
        a: ['x', 'y'],
        u: undefined,
      }),
    ).toEqual([
      { key: 's', value: { stringValue: 'text' } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'd', value: { doubleValue: 0.25 } },
      { key: 'b', value: { boolValue: false } },
      {
        key: 'a',
        value: { arrayValue: { values: [{ stringValue: 'x' }, { stringValue: 'y' }] } },
      },
    ]);
  });

  it('encodes a span with hex ids, its parent, OTLP kind and status', () => {
    expect(otlpSpanOf(spanOf())).toEqual({
      traceId: TRACE_ID,
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      name: 'EWS GetUserAvailability',
      kind: 2,
      startTimeUnixNano: '1710176400123456789',
      endTimeUnixNano: '1710176400987654321',
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'POST' } },
        { key: 'ews.mailbox_count', value: { intValue: '3' } },
      ],
      droppedAttributesCount: 0,
      events: [],
      links: [],
      status: { code: 0 },
    });
  });

  it('maps every API span kind to its OTLP number, and leaves a root span without parent', () => {
    const kinds = [
      SpanKind.INTERNAL,
      SpanKind.SERVER,
      SpanKind.CLIENT,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
    ];
    expect(kinds.map((kind) => otlpSpanOf(spanOf({ kind })).kind)).toEqual([1, 2, 3, 4, 5]);
    const root = otlpSpanOf(spanOf({ parentSpanContext: undefined }));
    expect(root).not.toHaveProperty('parentSpanId');
    const failed = otlpSpanOf(spanOf({ status: { code: SpanStatusCode.ERROR, message: 'x' } }));
    expect(failed.status).toEqual({ code: 2, message: 'x' });
  });

  it('groups a batch by resource and scope, with the service name overridden', () => {
    const server = spanOf();
    const client = spanOf({
      name: 'Graph getSchedule',
      kind: SpanKind.CLIENT,
      spanId: '1111111111111111',
      parentSpanContext: {
        traceId: TRACE_ID,
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
      },
    });
    const request = encodeOtlpTraceRequest([client, server], { 'service.name': 'calendar-relay' });
    expect(request.resourceSpans).toHaveLength(1);
    expect(request.resourceSpans[0].resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'calendar-relay' } },
      { key: 'host.arch', value: { stringValue: 'x64' } },
    ]);
    expect(request.resourceSpans[0].scopeSpans).toHaveLength(1);
    expect(request.resourceSpans[0].scopeSpans[0].scope).toEqual({ name: 'calendar-relay' });
    expect(
      request.resourceSpans[0].scopeSpans[0].spans.map((s) => [s.name, s.kind, s.parentSpanId]),
    ).toEqual([
      ['Graph getSchedule', 3, 'b7ad6b7169203331'],
      ['EWS GetUserAvailability', 2, '00f067aa0ba902b7'],
    ]);
    // What is POSTed is plain JSON: no bigint, no functions.
    expect(JSON.parse(JSON.stringify(request))).toEqual(request);
  });

  it('encodes an empty batch as no resource spans', () => {
    expect(encodeOtlpTraceRequest([])).toEqual({ resourceSpans: [] });
  });
});
