import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatedCalendar, type ScheduleWriting } from './emulated-calendar';
import {
  FaultPlan,
  graphErrorBody,
  type EmulatedEndpoint,
  type FaultRequest,
} from './emulator-faults';
import { emulatorTls } from './emulator-tls';

/**
 * A local HTTPS stand-in for Entra ID (OpenID metadata + client-credentials token endpoint) and
 * Microsoft Graph `POST /v1.0/users/{anchor}/calendar/getSchedule`, for tests that must never
 * reach Microsoft. It checks what the real services check (client id and secret, scope, bearer
 * token and its audience, the getSchedule body, the anchor mailbox), answers from an
 * EmulatedCalendar, injects faults on request, and counts what it was asked.
 *
 * It also behaves as Graph does where that is unpleasant, each with its source (on by default
 * where the service always behaves so):
 * - per-app concurrency: at most `appConcurrencyLimit` (4) getSchedule calls of one app ID in
 *   flight, "regardless of whether the requests all access the same mailbox, or access different
 *   mailboxes"; one more is answered 429 ApplicationThrottled without Retry-After
 *   (microsoft-graph-docs-contrib concepts/throttling-limits.md, "Outlook service limits";
 *   the body as magodo/terraform-provider-outlook issue #21 shows it);
 * - scoped apps (`scopeTo`): an anchor outside an application access policy or RBAC for
 *   Applications scope is refused with 403 ErrorAccessDenied "Access to OData is disabled."
 *   (concepts/auth-limit-mailbox-access.md, "Handling API errors"), while the body's other
 *   mailboxes are answered;
 * - on-premises or unlicensed anchors: 404 MailboxNotEnabledForRESTAPI;
 * - distribution lists, aliases, cut-off answers and omitted details: see EmulatedCalendar;
 * - at most 100 schedules per call, list members included (ErrorMailboxDataArrayTooBig, as
 *   microsoft-graph-docs-contrib issue #5895 quotes it);
 * - the window: at most 62 days (ErrorTimeIntervalTooBig, microsoft-graph-docs PR #19703).
 *
 * What @azure/identity 4.13 needs with instance discovery disabled was found by running it
 * against this server: `GET {authority}/v2.0/.well-known/openid-configuration`, then
 * `POST` to its `token_endpoint` (with `?client-request-id=...` on the URL).
 */

export interface GraphEmulatorOptions {
  readonly tenant?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** `expires_in` of issued tokens. */
  readonly tokenLifetimeSeconds?: number;
  /** getSchedule calls of the app in flight at once before 429 ApplicationThrottled (4). */
  readonly appConcurrencyLimit?: number;
}

export interface ReceivedScheduleCall {
  /** The `{anchor}` of the URL, decoded. */
  readonly anchor: string;
  readonly schedules: readonly string[];
  readonly body: Record<string, unknown>;
  readonly authorization?: string;
  /** The W3C trace context header, when the relay traces. */
  readonly traceparent?: string;
  readonly receivedAtMs: number;
}

export interface EmulatorCounters {
  openidConfiguration: number;
  /** Token requests answered with a token. */
  tokensIssued: number;
  /** Token requests refused (bad client id, secret, scope). */
  tokensRefused: number;
  getSchedule: number;
  /** getSchedule calls refused with 429 ApplicationThrottled for the per-app limit. */
  applicationThrottled: number;
}

export class GraphEmulator {
  readonly calendar = new EmulatedCalendar();
  readonly faults = new FaultPlan();
  readonly counters: EmulatorCounters = {
    openidConfiguration: 0,
    tokensIssued: 0,
    tokensRefused: 0,
    getSchedule: 0,
    applicationThrottled: 0,
  };
  readonly scheduleCalls: ReceivedScheduleCall[] = [];
  /** Requests for anything the emulator does not serve ("METHOD /path"). */
  readonly unknownRequests: string[] = [];
  /** Added to every getSchedule answer, so that concurrent calls overlap measurably. */
  scheduleLatencyMs = 0;
  /** Graph's per-app concurrency limit; Infinity turns it off. */
  appConcurrencyLimit: number;
  /** How scheduleItems are written (cut off at 1,000 items by default, as the service does). */
  writing: ScheduleWriting = { maxItemsPerSchedule: 1000, omitDetails: false };
  /** Mailboxes the app may use as the URL's mailbox; undefined = the whole tenant. */
  private scope?: ReadonlySet<string>;
  clientSecret: string;
  readonly clientId: string;
  readonly tenant: string;
  tokenLifetimeSeconds: number;

  private inFlight = 0;
  private readonly inFlightByAnchor = new Map<string, number>();
  private peakInFlight = 0;
  private readonly peakByAnchor = new Map<string, number>();
  private readonly issuedTokens = new Map<
    string,
    { audience: string; expiresAtMs: number; appId: string }
  >();
  private readonly inFlightByApp = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    options: GraphEmulatorOptions,
  ) {
    this.tenant = options.tenant ?? '6f2c3b9e-4a1d-4c8e-9b7a-emulated0001';
    this.clientId = options.clientId ?? '11111111-2222-3333-4444-555555555555';
    this.clientSecret = options.clientSecret ?? 'emulated~secret.0123456789abcdef';
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.appConcurrencyLimit = options.appConcurrencyLimit ?? 4;
  }

  static async start(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
    const server = createServer(emulatorTls());
    const emulator = new GraphEmulator(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      emulator.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return emulator;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get authority(): string {
    return `${this.origin}/${this.tenant}`;
  }

  /** The relay's GRAPH_* configuration for this emulator. */
  relayEnv(): Record<string, string> {
    return {
      GRAPH_CLIENT_ID: this.clientId,
      GRAPH_CLIENT_SECRET: this.clientSecret,
      GRAPH_AUTHORITY: this.authority,
      GRAPH_ENDPOINT: this.origin,
    };
  }

  /** Most getSchedule calls in flight at once, overall or through one anchor mailbox. */
  peakConcurrency(anchor?: string): number {
    return anchor === undefined
      ? this.peakInFlight
      : (this.peakByAnchor.get(anchor.toLowerCase()) ?? 0);
  }

  peakConcurrencyPerAnchor(): number {
    return Math.max(0, ...this.peakByAnchor.values());
  }

  /**
   * Scopes the app to these mailboxes, as an application access policy or an RBAC for
   * Applications management scope does; no argument lifts the scope.
   */
  scopeTo(mailboxes?: readonly string[]): void {
    this.scope =
      mailboxes === undefined ? undefined : new Set(mailboxes.map((m) => m.toLowerCase()));
  }

  /** Forgets calls, counters and faults (the calendar stays). */
  resetRecords(): void {
    Object.assign(this.counters, {
      openidConfiguration: 0,
      tokensIssued: 0,
      tokensRefused: 0,
      getSchedule: 0,
      applicationThrottled: 0,
    });
    this.scheduleCalls.length = 0;
    this.unknownRequests.length = 0;
    this.peakInFlight = 0;
    this.peakByAnchor.clear();
    this.faults.clear();
  }

  /** Makes every token issued so far invalid (as a revoked app secret would). */
  revokeTokens(): void {
    this.issuedTokens.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname;
    const body = await readBody(req);
    const tenantPrefix = `/${this.tenant}`;
    let match: RegExpExecArray | null;
    if (req.method === 'GET' && path === `${tenantPrefix}/v2.0/.well-known/openid-configuration`) {
      this.counters.openidConfiguration += 1;
      if (await this.applyFault('openidConfiguration', {}, res)) return;
      return sendJson(res, 200, this.openidConfiguration());
    }
    if (req.method === 'POST' && path === `${tenantPrefix}/oauth2/v2.0/token`) {
      if (await this.applyFault('token', {}, res)) return;
      return this.issueToken(body, res);
    }
    if (
      req.method === 'POST' &&
      (match = /^\/v1\.0\/users\/([^/]+)\/calendar\/getSchedule$/.exec(path)) !== null
    ) {
      return this.getSchedule(decodeURIComponent(match[1]), req, body, res);
    }
    if (/\/v2\.0\/\.well-known\/openid-configuration$|\/oauth2\/v2\.0\/token$/.test(path)) {
      // Another tenant: Entra answers AADSTS90002.
      return sendJson(
        res,
        400,
        entraError('invalid_tenant', 'AADSTS90002: Tenant not found.', 90002),
      );
    }
    this.unknownRequests.push(`${req.method} ${path}`);
    return sendJson(res, 404, graphErrorBody(404));
  }

  private openidConfiguration(): Record<string, unknown> {
    const base = `${this.origin}/${this.tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private issueToken(body: string, res: ServerResponse): void {
    const form = new URLSearchParams(body);
    const refuse = (status: number, error: string, description: string, code: number) => {
      this.counters.tokensRefused += 1;
      sendJson(res, status, entraError(error, description, code));
    };
    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(
        400,
        'unsupported_grant_type',
        'AADSTS70003: The app requested an unsupported grant type.',
        70003,
      );
    }
    if (form.get('client_id') !== this.clientId) {
      return refuse(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
        700016,
      );
    }
    if (form.get('client_secret') !== this.clientSecret) {
      return refuse(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.clientId}'.`,
        7000215,
      );
    }
    const scope = form.get('scope') ?? '';
    if (scope !== `${this.origin}/.default`) {
      return refuse(
        400,
        'invalid_scope',
        `AADSTS1002012: The provided value for scope ${scope} is not valid.`,
        1002012,
      );
    }
    this.counters.tokensIssued += 1;
    const expiresAtMs = Date.now() + this.tokenLifetimeSeconds * 1000;
    const token = jwtShaped({
      aud: this.origin,
      iss: `https://sts.windows.net/${this.tenant}/`,
      appid: this.clientId,
      tid: this.tenant,
      // The application permission as the Entra portal names it (Graph permissions reference:
      // Calendars.ReadBasic.All, id 8ba4a692-bc31-4128-9094-475872af8a53).
      roles: ['Calendars.ReadBasic.All'],
      exp: Math.floor(expiresAtMs / 1000),
    });
    this.issuedTokens.set(token, { audience: this.origin, expiresAtMs, appId: this.clientId });
    res.setHeader('Cache-Control', 'no-store, no-cache');
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      ext_expires_in: this.tokenLifetimeSeconds,
      access_token: token,
    });
  }

  private async getSchedule(
    anchor: string,
    req: IncomingMessage,
    rawBody: string,
    res: ServerResponse,
  ): Promise<void> {
    this.counters.getSchedule += 1;
    const anchorKey = anchor.toLowerCase();
    this.inFlight += 1;
    this.inFlightByAnchor.set(anchorKey, (this.inFlightByAnchor.get(anchorKey) ?? 0) + 1);
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.peakByAnchor.set(
      anchorKey,
      Math.max(this.peakByAnchor.get(anchorKey) ?? 0, this.inFlightByAnchor.get(anchorKey)!),
    );
    res.on('close', () => {
      this.inFlight -= 1;
      this.inFlightByAnchor.set(anchorKey, this.inFlightByAnchor.get(anchorKey)! - 1);
    });

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, graphErrorBody(400));
    }
    const schedules = Array.isArray(body.schedules)
      ? (body.schedules as unknown[]).map(String)
      : [];
    const authorization = req.headers.authorization;
    const traceparent = req.headers.traceparent;
    this.scheduleCalls.push({
      anchor,
      schedules,
      body,
      authorization,
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
      receivedAtMs: Date.now(),
    });

    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const issued = token === undefined ? undefined : this.issuedTokens.get(token);
    if (
      issued === undefined ||
      issued.expiresAtMs <= Date.now() ||
      issued.audience !== this.origin
    ) {
      return sendJson(res, 401, graphErrorBody(401));
    }
    // Per app ID, whatever the mailboxes: counted from here until the answer is written.
    const appInFlight = (this.inFlightByApp.get(issued.appId) ?? 0) + 1;
    if (appInFlight > this.appConcurrencyLimit) {
      this.counters.applicationThrottled += 1;
      return sendJson(res, 429, graphErrorBody(429));
    }
    this.inFlightByApp.set(issued.appId, appInFlight);
    res.on('close', () =>
      this.inFlightByApp.set(issued.appId, (this.inFlightByApp.get(issued.appId) ?? 1) - 1),
    );
    if (await this.applyFault('getSchedule', { anchor, schedules }, res)) return;
    const latencyMs = Math.max(
      this.scheduleLatencyMs,
      ...schedules.map((s) => this.calendar.get(s)?.latencyMs ?? 0),
    );
    if (latencyMs > 0) await sleep(latencyMs);
    if (res.destroyed) return;

    const window = windowOf(body);
    const interval = body.availabilityViewInterval;
    if (interval === null) return sendJson(res, 500, graphErrorBody(500));
    if (
      schedules.length === 0 ||
      schedules.length > 100 ||
      window === undefined ||
      typeof interval !== 'number' ||
      !Number.isInteger(interval) ||
      interval < 5 ||
      interval > 1440
    ) {
      return sendJson(res, 400, graphErrorBody(400));
    }
    if (window.endMs - window.startMs > 62 * 86_400_000) {
      // Days counted whole: 62 days and a second is "63 days" (microsoft-graph-docs PR #19703).
      const days = Math.ceil((window.endMs - window.startMs) / 86_400_000);
      return sendJson(res, 400, {
        error: {
          code: 'ErrorTimeIntervalTooBig',
          message: `The allowed limit = 62 days; the actual limit = ${days} days.`,
        },
      });
    }
    const weight = schedules.reduce((sum, s) => sum + this.calendar.weightOf(s), 0);
    if (weight > 100) {
      return sendJson(res, 400, {
        error: {
          code: 'ErrorMailboxDataArrayTooBig',
          message: `There are too many target users in the EmailAddress array. The allowed size = 100; the actual size = ${weight}.`,
        },
      });
    }
    const anchorMailbox = this.calendar.get(anchor);
    if (anchorMailbox === undefined || anchorMailbox.members !== undefined) {
      return sendJson(res, 404, {
        error: { code: 'ErrorInvalidUser', message: `The requested user '${anchor}' is invalid.` },
      });
    }
    if (this.scope !== undefined && !this.scope.has(anchorKey)) {
      return sendJson(res, 403, {
        error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' },
      });
    }
    if (anchorMailbox.onPremises === true) {
      return sendJson(res, 404, {
        error: {
          code: 'MailboxNotEnabledForRESTAPI',
          message: 'REST API is not yet supported for this mailbox.',
        },
      });
    }
    sendJson(res, 200, {
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
      value: schedules.map((s) => this.calendar.scheduleFor(s, window, interval, this.writing)),
    });
  }

  /** Applies the next matching fault; true when it has answered (or will never answer). */
  private async applyFault(
    endpoint: EmulatedEndpoint,
    request: FaultRequest,
    res: ServerResponse,
  ): Promise<boolean> {
    const fault = this.faults.take(endpoint, request);
    if (fault === undefined) return false;
    switch (fault.kind) {
      case 'status':
        if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
        sendJson(res, fault.status, fault.body ?? graphErrorBody(fault.status));
        return true;
      case 'slow':
        await sleep(fault.ms);
        return false;
      case 'hang':
        return true;
      case 'malformedJson':
        res.writeHead(200, { 'Content-Type': 'application/json; odata.metadata=minimal' });
        res.end(
          '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata","value":[{"scheduleId":"a@',
        );
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
    }
  }
}

function windowOf(body: Record<string, unknown>): { startMs: number; endMs: number } | undefined {
  const read = (v: unknown): number | undefined => {
    const { dateTime, timeZone } = (v ?? {}) as { dateTime?: unknown; timeZone?: unknown };
    if (typeof dateTime !== 'string' || timeZone !== 'UTC') return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(dateTime)) return undefined;
    return Date.parse(`${dateTime}Z`);
  };
  const startMs = read(body.startTime);
  const endMs = read(body.endTime);
  if (startMs === undefined || endMs === undefined || endMs <= startMs) return undefined;
  return { startMs, endMs };
}

function entraError(error: string, description: string, code: number): Record<string, unknown> {
  return {
    error,
    error_description: `${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}

function jwtShaped(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'emulator' })}.${part({ ...claims, jti: randomUUID() })}.${randomBytes(32).toString('base64url')}`;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8',
    'request-id': randomUUID(),
  });
  res.end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
