import { Logger } from '@nestjs/common';
import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  ResponseType,
  TelemetryHandler,
  type AuthenticationProvider,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import type { UtcWindow } from '@app/availability';
import type { GraphSettings } from '@app/config';
import type { RelayTracing } from '@app/tracing';
import { AccessTokenCache } from '../entra/access-token-cache';
import { describeTokenFailure } from '../entra/entra-token-failure';
import { readScheduleResponse, type GraphCallOutcome } from '../wire/graph-call-outcome';
import { credentialTargetFor, customGraphHostsFor, graphScopeFor } from '../entra/graph-cloud';
import { formatGraphUtc } from '../wire/graph-date-time';
import { GRAPH_LIMITS } from '../graph-limits';
import type { GraphScheduleRequestBody } from '../wire/graph-schedule-wire';
import { readPlacesResponse, type PlacesCallOutcome } from '../wire/places-wire';
import { GraphAnswerSink, KeepAliveTransportHandler } from './graph-sdk-transport';
import { KeepAliveHttpsTransport, type HttpAnswer } from './keep-alive-https-transport';

export interface ScheduleCall {
  /** The mailbox in the URL (`/users/{anchor}`): Graph throttles per app and anchor. */
  readonly anchor: string;
  readonly schedules: readonly string[];
  readonly window: UtcWindow;
  readonly intervalMinutes: number;
  /** 1 for the first try of a chunk, 2 for its first retry... (for tracing). */
  readonly attempt?: number;
}

/** The tracing side of one call: headers to send (`traceparent`), the HTTP status answered. */
interface TracedExchange {
  readonly headers: Readonly<Record<string, string>>;
  status?: number;
}

/** What one Graph tenant configuration needs at run time, built lazily and rebuilt on change. */
interface GraphConnection {
  readonly settings: GraphSettings;
  readonly tokens: AccessTokenCache;
  readonly client: Client;
}

export interface GraphScheduleClientOptions {
  /** Kept-alive sockets, shared by every tenant's client; the client's own when absent. */
  readonly transport?: KeepAliveHttpsTransport;
  readonly tracing?: RelayTracing;
  /** The tenant the app belongs to, for the CLIENT span (`relay.tenant`). */
  readonly tenant?: string;
}

/**
 * The edge to Entra and Graph for one app registration (one tenant): a ClientSecretCredential
 * for app-only tokens and the Graph SDK client for
 * `POST /v1.0/users/{anchor}/calendar/getSchedule` and the places GETs of the room directory
 * (one token cache for both). It makes one call and reports how it ended (GraphCallOutcome,
 * PlacesCallOutcome); retries, deadlines and fan-out belong to the lookup.
 *
 * The settings are read at every call: when Vault rotates the Graph secret (or the client id,
 * authority or endpoint change) the next call builds a new credential and client.
 */
export class GraphScheduleClient {
  private readonly logger = new Logger(GraphScheduleClient.name);
  private connection?: GraphConnection;
  private readonly transport: KeepAliveHttpsTransport;
  private readonly ownsTransport: boolean;
  private readonly tracing?: RelayTracing;
  private readonly tenant?: string;

  constructor(
    private readonly settings: () => GraphSettings | undefined,
    options: GraphScheduleClientOptions = {},
  ) {
    this.ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? new KeepAliveHttpsTransport();
    this.tracing = options.tracing;
    this.tenant = options.tenant;
  }

  /** Closes the client's own kept-alive connections (a shared transport is its owner's). */
  close(): void {
    if (this.ownsTransport) this.transport.destroy();
  }

  /** Obtains (or reuses) an app-only token: the readiness check. Never throws. */
  async checkToken(
    signal: AbortSignal,
  ): Promise<{ ok: true } | { ok: false; transient: boolean; detail: string }> {
    let connection: GraphConnection;
    try {
      connection = this.connect();
    } catch (error) {
      return { ok: false, transient: false, detail: (error as Error).message };
    }
    try {
      await connection.tokens.getToken(signal);
      return { ok: true };
    } catch (error) {
      if (signal.aborted) {
        return { ok: false, transient: true, detail: 'Entra did not answer in time' };
      }
      const failure = describeTokenFailure(error);
      if (!failure.rejected) this.forgetThrottledCredential(connection);
      return { ok: false, transient: !failure.rejected, detail: failure.detail };
    }
  }

  /** One getSchedule call. Never throws: every ending is a GraphCallOutcome. */
  async getSchedule(call: ScheduleCall, signal: AbortSignal): Promise<GraphCallOutcome> {
    // A CLIENT span (when tracing is on): counts and the tenant's configured name only, never
    // the anchor or the schedules.
    const span = this.tracing?.startClientSpan('Graph getSchedule', {
      'http.request.method': 'POST',
      ...(this.tenant !== undefined ? { 'relay.tenant': this.tenant } : {}),
      'graph.schedule_count': call.schedules.length,
      ...(call.attempt !== undefined ? { 'graph.attempt': call.attempt } : {}),
    });
    const exchange: TracedExchange = { headers: span?.headers ?? {} };
    const outcome = await this.callGetSchedule(call, signal, exchange);
    span?.end(
      {
        'graph.outcome': outcome.kind,
        ...(exchange.status !== undefined ? { 'http.response.status_code': exchange.status } : {}),
      },
      outcome.kind !== 'answered',
    );
    return outcome;
  }

  /**
   * One GET of Graph's places (docs/protocol.md section 9): `request` is a path under the
   * version ("/places/microsoft.graph.roomlist?$top=100"), or an `@odata.nextLink` Graph sent,
   * which must be on GRAPH_ENDPOINT's own origin (the token goes with it). Same token cache and
   * connection as getSchedule. Never throws: every ending is a PlacesCallOutcome.
   */
  async getPlaces(request: string, signal: AbortSignal): Promise<PlacesCallOutcome> {
    const span = this.tracing?.startClientSpan('Graph places', { 'http.request.method': 'GET' });
    const exchange: TracedExchange = { headers: span?.headers ?? {} };
    const outcome = await this.callPlaces(request, signal, exchange);
    span?.end(
      {
        'graph.outcome': outcome.kind,
        ...(exchange.status !== undefined ? { 'http.response.status_code': exchange.status } : {}),
      },
      outcome.kind !== 'page',
    );
    return outcome;
  }

  private async callGetSchedule(
    call: ScheduleCall,
    signal: AbortSignal,
    exchange: TracedExchange,
  ): Promise<GraphCallOutcome> {
    const sent = await this.send(
      (client) =>
        client
          .api(`/users/${encodeURIComponent(call.anchor)}/calendar/getSchedule`)
          .version('v1.0'),
      (request) => request.post(requestBodyOf(call)),
      signal,
      exchange,
    );
    if (sent.kind !== 'sent') return sent;
    const { answer } = sent;
    return readScheduleResponse(
      answer.status,
      answer.header('retry-after') ?? null,
      answer.body.toString('utf8'),
      Date.now(),
    );
  }

  private async callPlaces(
    request: string,
    signal: AbortSignal,
    exchange: TracedExchange,
  ): Promise<PlacesCallOutcome> {
    const absolute = /^https?:/i.test(request);
    const endpoint = this.settings()?.endpoint;
    if (
      absolute &&
      endpoint !== undefined &&
      new URL(request).origin !== new URL(endpoint).origin
    ) {
      return { kind: 'unreadable', status: 200, detail: 'the next page is on another host' };
    }
    const sent = await this.send(
      (client) => (absolute ? client.api(request) : client.api(request).version('v1.0')),
      (graphRequest) => graphRequest.get(),
      signal,
      exchange,
    );
    if (sent.kind !== 'sent') return sent;
    const { answer } = sent;
    return readPlacesResponse(
      answer.status,
      answer.header('retry-after') ?? null,
      answer.body.toString('utf8'),
      Date.now(),
    );
  }

  /**
   * One Graph request on the current connection: the token first (so that a token failure is
   * told apart from a network failure; the SDK's AuthenticationHandler then gets the same token
   * from the cache), then the SDK with the relay's transport, the answer taken from the sink.
   */
  private async send(
    build: (client: Client) => GraphRequest,
    run: (request: GraphRequest) => Promise<unknown>,
    signal: AbortSignal,
    exchange: TracedExchange,
  ): Promise<
    | { readonly kind: 'sent'; readonly answer: HttpAnswer }
    | Extract<GraphCallOutcome, { readonly kind: 'tokenFailed' | 'network' | 'aborted' }>
  > {
    let connection: GraphConnection;
    try {
      connection = this.connect();
    } catch (error) {
      // No tenant configured, or an authority without a tenant: nothing a retry can fix.
      return { kind: 'tokenFailed', rejected: true, detail: (error as Error).message };
    }
    let token: string;
    try {
      token = await connection.tokens.getToken(signal);
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' };
      const failure = describeTokenFailure(error);
      if (!failure.rejected) this.forgetThrottledCredential(connection);
      return { kind: 'tokenFailed', rejected: failure.rejected, detail: failure.detail };
    }
    try {
      const sink = new GraphAnswerSink();
      await run(
        build(connection.client)
          .responseType(ResponseType.RAW)
          .headers(exchange.headers)
          .option('signal', signal)
          .middlewareOptions([sink]),
      );
      const answer = sink.answer;
      if (answer === undefined) {
        return { kind: 'network', detail: 'the Graph transport handed back no answer' };
      }
      exchange.status = answer.status;
      if (answer.status === 401) {
        // Graph refused the token (revoked, or issued for a secret since rotated). The
        // credential's own cache (MSAL's) would hand out the same token again until it expires,
        // so the connection is rebuilt: the next call fetches a fresh token from Entra.
        connection.tokens.invalidate(token);
        if (this.connection === connection) this.connection = undefined;
      }
      return { kind: 'sent', answer };
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' };
      return { kind: 'network', detail: networkDetailOf(error) };
    }
  }

  /**
   * After a 429 or 5xx from Entra's token endpoint, MSAL (under @azure/identity) refuses every
   * further token request of that credential for the Retry-After, or for 60 seconds when Entra
   * sent none, by answering the same error from its cache without asking Entra
   * (@azure/msal-common ThrottlingUtils: DEFAULT_THROTTLE_TIME_SECONDS). A one-off hiccup
   * (AADSTS90033, temporarily_unavailable) would then fail every lookup for a minute: the
   * credential is built anew for the next attempt, which the retry policy spaces out.
   */
  private forgetThrottledCredential(connection: GraphConnection): void {
    if (this.connection === connection) this.connection = undefined;
  }

  private connect(): GraphConnection {
    const settings = this.settings();
    if (settings === undefined) {
      throw new Error(
        'Microsoft Graph is not configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY)',
      );
    }
    if (this.connection === undefined || credentialsDiffer(this.connection.settings, settings)) {
      if (this.connection !== undefined && credentialsDiffer(this.connection.settings, settings)) {
        this.logger.log('Microsoft Graph credentials changed: the next call fetches a new token');
      }
      this.connection = connectionFor(settings, this.transport);
    }
    return this.connection;
  }
}

function connectionFor(
  settings: GraphSettings,
  transport: KeepAliveHttpsTransport,
): GraphConnection {
  const target = credentialTargetFor(settings.authority);
  const credential = new ClientSecretCredential(
    target.tenantId,
    settings.clientId,
    settings.clientSecret,
    {
      authorityHost: target.authorityHost,
      disableInstanceDiscovery: target.disableInstanceDiscovery,
      // The provider retries within the lookup's deadline; identity's own retries stay short.
      retryOptions: { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 500 },
    },
  );
  const tokens = new AccessTokenCache(
    credential,
    graphScopeFor(settings.endpoint),
    GRAPH_LIMITS.tokenRefreshMarginMs,
  );
  const authProvider: AuthenticationProvider = { getAccessToken: () => tokens.getToken() };
  // The SDK's default chain also has its RetryHandler, which sleeps on 429/503 for up to
  // 180 s regardless of our deadline and hides each attempt from the circuit breaker: the
  // chain here is authentication, telemetry (client-request-id for Microsoft support) and fetch.
  const authentication = new AuthenticationHandler(authProvider);
  const telemetry = new TelemetryHandler();
  const fetchHandler = new KeepAliveTransportHandler(transport);
  authentication.setNext(telemetry);
  telemetry.setNext(fetchHandler);
  const client = Client.initWithMiddleware({
    middleware: authentication,
    baseUrl: settings.endpoint,
    defaultVersion: 'v1.0',
    customHosts: customGraphHostsFor(settings.endpoint),
  });
  return { settings, tokens, client };
}

function credentialsDiffer(a: GraphSettings | undefined, b: GraphSettings | undefined): boolean {
  return (
    a?.clientId !== b?.clientId ||
    a?.clientSecret !== b?.clientSecret ||
    a?.authority !== b?.authority ||
    a?.endpoint !== b?.endpoint
  );
}

/**
 * The getSchedule body. The window goes out in UTC, widened to whole seconds (Graph's format has
 * none finer) so that no event at its edges is missed; the mapper drops what lies outside.
 */
export function requestBodyOf(call: ScheduleCall): GraphScheduleRequestBody {
  return {
    schedules: call.schedules,
    startTime: {
      dateTime: formatGraphUtc(Math.floor(call.window.startMs / 1000) * 1000),
      timeZone: 'UTC',
    },
    endTime: {
      dateTime: formatGraphUtc(Math.ceil(call.window.endMs / 1000) * 1000),
      timeZone: 'UTC',
    },
    availabilityViewInterval: call.intervalMinutes,
  };
}

function networkDetailOf(error: unknown): string {
  // GraphError keeps the original error's text in `body` ("Error: fetch failed: ECONNREFUSED").
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string' && body !== '') return body.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown network error';
}
