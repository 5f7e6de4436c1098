import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest, GET_SERVER_TIME_ZONES } from './support/ews-request-bodies';
import { bearerTokenFor, startRelay } from './support/relay-app';
import { mailboxesOf } from './support/soap';

/**
 * OpenTelemetry tracing, EWS in and Graph out: the relay exports its spans as OTLP/HTTP JSON to
 * a local receiver standing in for a collector, continues the caller's W3C trace context and
 * passes it on to (the emulated) Graph. Without the OTEL_* variables nothing is sent.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status: { code: number };
}
interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A stand-in OTLP/HTTP collector on 127.0.0.1: keeps every request. */
class OtlpReceiver {
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        receiver.requests.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  spans(): OtlpSpan[] {
    return this.requests.flatMap((r) =>
      (JSON.parse(r.body) as OtlpRequest).resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans),
      ),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const attributesOf = (span: OtlpSpan): Record<string, string | number | boolean | undefined> =>
  Object.fromEntries(
    span.attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
        value.boolValue ??
        value.doubleValue,
    ]),
  );

const INCOMING_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_SPAN_ID = '00f067aa0ba902b7';
const INCOMING_TRACEPARENT = `00-${INCOMING_TRACE_ID}-${INCOMING_SPAN_ID}-01`;
const ADDRESSES = ['adele.vance@contoso.com', 'megan.bowen@contoso.com'];
const busyHour = { start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'Busy' };

describe('OpenTelemetry tracing (OTLP/HTTP JSON)', () => {
  let emulator: GraphEmulator;
  let receiver: OtlpReceiver;
  const savedOtelEnv = new Map<string, string>();

  beforeAll(async () => {
    // The developer's own OTEL_* variables must not turn tracing on (or off) here.
    for (const [key, value] of Object.entries(process.env)) {
      if (key.startsWith('OTEL_') && value !== undefined) {
        savedOtelEnv.set(key, value);
        delete process.env[key];
      }
    }
    emulator = await GraphEmulator.start();
    receiver = await OtlpReceiver.start();
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
    for (const [key, value] of savedOtelEnv) process.env[key] = value;
  });
  beforeEach(() => {
    emulator.calendar.clear();
    emulator.resetRecords();
    receiver.requests.length = 0;
    for (const address of ADDRESSES) emulator.calendar.set(address, { events: [busyHour] });
  });

  /** One traced lookup and one GetServerTimeZones; the app is closed (spans flushed) after. */
  async function lookUpWith(env: Record<string, string>) {
    const app = await startRelay({
      ...emulator.relayEnv(),
      CACHE_TTL_SECONDS: '0',
      ALLOWED_DOMAINS: 'contoso.com',
      ...env,
    });
    let token = '';
    try {
      token = await bearerTokenFor(app);
      const ask = (payload: string) =>
        app.inject({
          method: 'POST',
          url: '/EWS/Exchange.asmx?probe=1',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'text/xml; charset=utf-8',
            traceparent: INCOMING_TRACEPARENT,
          },
          payload,
        });
      const res = await ask(availabilityRequest(ADDRESSES));
      expect(res.statusCode).toBe(200);
      expect((await mailboxesOf(res.body)).map((m) => m.responseCode)).toEqual([
        'NoError',
        'NoError',
      ]);
      expect((await ask(GET_SERVER_TIME_ZONES)).statusCode).toBe(200);
      return { token };
    } finally {
      // Closing the app shuts the tracer provider down, which exports what is buffered.
      await app.close();
    }
  }

  it('exports a SERVER span continuing the trace of the caller and a CLIENT span per getSchedule call', async () => {
    const { token } = await lookUpWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector%20key',
      OTEL_SERVICE_NAME: 'relay-under-test',
    });

    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-collector-key']).toBe('collector key');
    }
    const resource = (JSON.parse(receiver.requests[0].body) as OtlpRequest).resourceSpans[0]
      .resource;
    expect(resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'relay-under-test' },
    });

    const spans = receiver.spans();
    const server = spans.find((s) => s.name === 'EWS GetUserAvailability');
    expect(server).toBeDefined();
    expect(server!.kind).toBe(2);
    expect(server!.traceId).toBe(INCOMING_TRACE_ID);
    expect(server!.parentSpanId).toBe(INCOMING_SPAN_ID);
    expect(BigInt(server!.endTimeUnixNano)).toBeGreaterThan(BigInt(server!.startTimeUnixNano));
    const serverAttributes = attributesOf(server!);
    expect(serverAttributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/EWS/Exchange.asmx',
      'http.response.status_code': 200,
      'ews.mailbox_count': 2,
      'ews.view': 'FreeBusy',
    });
    expect(typeof serverAttributes['relay.request_id']).toBe('string');

    const clients = spans.filter((s) => s.name === 'Graph getSchedule');
    expect(clients).toHaveLength(1);
    const [client] = clients;
    expect(client.kind).toBe(3);
    expect(client.traceId).toBe(INCOMING_TRACE_ID);
    expect(client.parentSpanId).toBe(server!.spanId);
    expect(attributesOf(client)).toMatchObject({
      'http.response.status_code': 200,
      'graph.schedule_count': 2,
      'graph.attempt': 1,
      'relay.tenant': 'default',
    });

    // Graph got the trace context of the CLIENT span.
    expect(emulator.scheduleCalls).toHaveLength(1);
    expect(emulator.scheduleCalls[0].traceparent).toBe(
      `00-${INCOMING_TRACE_ID}-${client.spanId}-01`,
    );

    const timeZones = spans.find((s) => s.name === 'EWS GetServerTimeZones');
    expect(timeZones?.traceId).toBe(INCOMING_TRACE_ID);
    expect(attributesOf(timeZones!)['http.response.status_code']).toBe(200);

    // Nothing exported names a mailbox or carries a credential.
    const exported = receiver.requests.map((r) => r.body).join('\n');
    for (const address of ADDRESSES) expect(exported).not.toContain(address);
    expect(exported).not.toContain('@');
    expect(exported).not.toContain(token);
    expect(exported).not.toContain(emulator.clientSecret);
    for (const span of spans) {
      for (const value of Object.values(attributesOf(span))) {
        expect(String(value)).not.toMatch(/@|Bearer/);
      }
    }
  });

  it('starts a new trace when the caller sends none', async () => {
    const app = await startRelay({
      ...emulator.relayEnv(),
      CACHE_TTL_SECONDS: '0',
      ALLOWED_DOMAINS: 'contoso.com',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.origin}/custom/traces`,
    });
    try {
      const token = await bearerTokenFor(app);
      const res = await app.inject({
        method: 'POST',
        url: '/',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
        payload: availabilityRequest(ADDRESSES.slice(0, 1)),
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    expect(receiver.requests.map((r) => r.path)).toEqual(['/custom/traces']);
    const spans = receiver.spans();
    const server = spans.find((s) => s.name === 'EWS GetUserAvailability')!;
    expect(server.parentSpanId).toBeUndefined();
    expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.traceId).not.toBe(INCOMING_TRACE_ID);
    const client = spans.find((s) => s.name === 'Graph getSchedule')!;
    expect(client.parentSpanId).toBe(server.spanId);
    expect(emulator.scheduleCalls[0].traceparent).toBe(`00-${server.traceId}-${client.spanId}-01`);
  });

  it('gives each getSchedule attempt its own CLIENT span, retries numbered', async () => {
    emulator.faults.add('getSchedule', { kind: 'status', status: 500 });
    const app = await startRelay({
      ...emulator.relayEnv(),
      CACHE_TTL_SECONDS: '0',
      ALLOWED_DOMAINS: 'contoso.com',
      GRAPH_DEADLINE_MS: '5000',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
    });
    try {
      const token = await bearerTokenFor(app);
      const res = await app.inject({
        method: 'POST',
        url: '/EWS/Exchange.asmx',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/xml; charset=utf-8',
          traceparent: INCOMING_TRACEPARENT,
        },
        payload: availabilityRequest(ADDRESSES),
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const spans = receiver.spans();
    const server = spans.find((s) => s.name === 'EWS GetUserAvailability')!;
    const clients = spans
      .filter((s) => s.name === 'Graph getSchedule')
      .map((s) => ({ parent: s.parentSpanId, status: s.status.code, ...attributesOf(s) }));
    expect(clients).toEqual([
      expect.objectContaining({
        parent: server.spanId,
        status: 2,
        'graph.attempt': 1,
        'http.response.status_code': 500,
      }),
      expect.objectContaining({
        parent: server.spanId,
        status: 0,
        'graph.attempt': 2,
        'http.response.status_code': 200,
      }),
    ]);
    expect(emulator.scheduleCalls.map((c) => c.traceparent?.split('-')[1])).toEqual([
      INCOMING_TRACE_ID,
      INCOMING_TRACE_ID,
    ]);
  });

  it("names each CLIENT span's tenant, one span per tenant's Graph call in a mixed request", async () => {
    const fabrikam = emulator.addTenant({
      tenant: '9a8b7c6d-0000-4000-8000-fabrikam0003',
      clientId: '99999999-8888-7777-6666-000000000003',
      clientSecret: 'fabrikam~tracing.0123456789',
    });
    fabrikam.calendar.set('lars@fabrikam.com', { events: [busyHour] });
    const app = await startRelay({
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      ...emulator.relayEnvOf(emulator.primary, 'contoso'),
      ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
      CACHE_TTL_SECONDS: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
    });
    try {
      const token = await bearerTokenFor(app);
      const res = await app.inject({
        method: 'POST',
        url: '/EWS/Exchange.asmx',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/xml; charset=utf-8',
          traceparent: INCOMING_TRACEPARENT,
        },
        payload: availabilityRequest([ADDRESSES[0], 'lars@fabrikam.com']),
      });
      expect((await mailboxesOf(res.body)).map((m) => m.responseCode)).toEqual([
        'NoError',
        'NoError',
      ]);
    } finally {
      await app.close();
    }
    const spans = receiver.spans();
    const server = spans.find((s) => s.name === 'EWS GetUserAvailability')!;
    const clients = spans.filter((s) => s.name === 'Graph getSchedule');
    const spanOf = (tenant: string) =>
      clients.find((c) => attributesOf(c)['relay.tenant'] === tenant);
    expect(clients.map((c) => attributesOf(c)['relay.tenant']).sort()).toEqual([
      'contoso',
      'fabrikam',
    ]);
    for (const client of clients) expect(client.parentSpanId).toBe(server.spanId);
    // Each tenant's Graph got the trace context of its own span.
    expect(emulator.scheduleCalls.map((c) => c.traceparent)).toEqual([
      `00-${INCOMING_TRACE_ID}-${spanOf('contoso')!.spanId}-01`,
    ]);
    expect(fabrikam.scheduleCalls.map((c) => c.traceparent)).toEqual([
      `00-${INCOMING_TRACE_ID}-${spanOf('fabrikam')!.spanId}-01`,
    ]);
  });

  it('sends nothing and adds no traceparent without the OTEL_* variables', async () => {
    await lookUpWith({ OTEL_SERVICE_NAME: 'relay-under-test' });
    expect(receiver.requests).toHaveLength(0);
    expect(emulator.scheduleCalls).toHaveLength(1);
    expect(emulator.scheduleCalls[0].traceparent).toBeUndefined();
  });

  it('sends nothing when OTEL_SDK_DISABLED=true, even with an endpoint', async () => {
    await lookUpWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_SDK_DISABLED: 'true',
    });
    expect(receiver.requests).toHaveLength(0);
    expect(emulator.scheduleCalls[0].traceparent).toBeUndefined();
  });
});
