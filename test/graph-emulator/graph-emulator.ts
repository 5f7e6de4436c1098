import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduleWriting } from './emulated-calendar';
import { EmulatedTenant, type EmulatedTenantOptions } from './emulated-tenant';
import { graphErrorBody, type EmulatedEndpoint, type FaultRequest } from './emulator-faults';
import { emulatorTls } from './emulator-tls';

/**
 * A local HTTPS stand-in for Entra ID (OpenID metadata + client-credentials token endpoint) and
 * Microsoft Graph `POST /v1.0/users/{anchor}/calendar/getSchedule` and places, for tests that must never
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
 * - the window: at most 62 days (ErrorTimeIntervalTooBig, microsoft-graph-docs PR #19703);
 * - places (`GET /v1.0/places/...`, the room directory): see EmulatedPlaces for paging, the
 *   missing nextLink and the field variants; 403 without Place.Read.All in the token's roles;
 *   places calls count toward the app's concurrent requests.
 *
 * What @azure/identity 4.13 needs with instance discovery disabled was found by running it
 * against this server: `GET {authority}/v2.0/.well-known/openid-configuration`, then
 * `POST` to its `token_endpoint` (with `?client-request-id=...` on the URL).
 */

export type GraphEmulatorOptions = EmulatedTenantOptions;
export type { EmulatorCounters, ReceivedScheduleCall } from './emulated-tenant';

interface IssuedToken {
  readonly audience: string;
  readonly expiresAtMs: number;
  readonly tenant: EmulatedTenant;
  /** The application permissions granted when the token was issued (its `roles` claim). */
  readonly roles: readonly string[];
}

export class GraphEmulator {
  /** The tenant the emulator starts with; the fields below are its, for tests of one tenant. */
  readonly primary: EmulatedTenant;
  /** Requests for anything the emulator does not serve ("METHOD /path"). */
  readonly unknownRequests: string[] = [];
  private readonly tenants = new Map<string, EmulatedTenant>();
  private readonly issuedTokens = new Map<string, IssuedToken>();

  private constructor(
    private readonly server: Server,
    options: GraphEmulatorOptions,
  ) {
    this.primary = new EmulatedTenant(options);
    this.tenants.set(this.primary.id, this.primary);
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

  /**
   * Another tenant on the same Entra and Graph host: its own app registration, directory,
   * scope, per-app limit, faults and counters.
   */
  addTenant(
    options: EmulatedTenantOptions & { readonly tenant: string; readonly clientId: string },
  ): EmulatedTenant {
    if (this.tenants.has(options.tenant)) throw new Error(`tenant ${options.tenant} exists`);
    const tenant = new EmulatedTenant(options);
    this.tenants.set(tenant.id, tenant);
    return tenant;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  authorityOf(tenant: EmulatedTenant): string {
    return `${this.origin}/${tenant.id}`;
  }

  /**
   * The relay's keys for a tenant: the single-tenant GRAPH_* keys, or with `name` the
   * TENANT_<NAME>_GRAPH_* keys of TENANTS.
   */
  relayEnvOf(tenant: EmulatedTenant, name?: string): Record<string, string> {
    const prefix = name === undefined ? '' : `TENANT_${name.toUpperCase().replace(/-/g, '_')}_`;
    return {
      [`${prefix}GRAPH_CLIENT_ID`]: tenant.clientId,
      [`${prefix}GRAPH_CLIENT_SECRET`]: tenant.clientSecret,
      [`${prefix}GRAPH_AUTHORITY`]: this.authorityOf(tenant),
      [`${prefix}GRAPH_ENDPOINT`]: this.origin,
    };
  }

  // The primary tenant's state, for the many tests of one tenant.
  get calendar() {
    return this.primary.calendar;
  }
  get faults() {
    return this.primary.faults;
  }
  get counters() {
    return this.primary.counters;
  }
  get scheduleCalls() {
    return this.primary.scheduleCalls;
  }
  get places() {
    return this.primary.places;
  }
  get placesCalls() {
    return this.primary.placesCalls;
  }
  get scheduleLatencyMs() {
    return this.primary.scheduleLatencyMs;
  }
  set scheduleLatencyMs(ms: number) {
    this.primary.scheduleLatencyMs = ms;
  }
  get appConcurrencyLimit() {
    return this.primary.appConcurrencyLimit;
  }
  set appConcurrencyLimit(limit: number) {
    this.primary.appConcurrencyLimit = limit;
  }
  get writing() {
    return this.primary.writing;
  }
  set writing(writing: ScheduleWriting) {
    this.primary.writing = writing;
  }
  get clientSecret() {
    return this.primary.clientSecret;
  }
  set clientSecret(secret: string) {
    this.primary.clientSecret = secret;
  }
  get clientId() {
    return this.primary.clientId;
  }
  get tenant() {
    return this.primary.id;
  }
  get tokenLifetimeSeconds() {
    return this.primary.tokenLifetimeSeconds;
  }
  set tokenLifetimeSeconds(seconds: number) {
    this.primary.tokenLifetimeSeconds = seconds;
  }
  get authority(): string {
    return this.authorityOf(this.primary);
  }

  /** The relay's GRAPH_* configuration for the primary tenant. */
  relayEnv(): Record<string, string> {
    return this.relayEnvOf(this.primary);
  }

  peakConcurrency(anchor?: string): number {
    return this.primary.peakConcurrency(anchor);
  }

  peakConcurrencyPerAnchor(): number {
    return this.primary.peakConcurrencyPerAnchor();
  }

  scopeTo(mailboxes?: readonly string[]): void {
    this.primary.scopeTo(mailboxes);
  }

  /** Forgets calls, counters and faults of every tenant (the calendars stay). */
  resetRecords(): void {
    for (const tenant of this.tenants.values()) tenant.resetRecords();
    this.unknownRequests.length = 0;
  }

  /** Makes every token issued so far (for one tenant, or all) invalid, as a revoked secret would. */
  revokeTokens(tenant?: EmulatedTenant): void {
    for (const [token, issued] of this.issuedTokens) {
      if (tenant === undefined || issued.tenant === tenant) this.issuedTokens.delete(token);
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname;
    const body = await readBody(req);
    let match: RegExpExecArray | null;
    if (
      (match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(
        path,
      )) !== null
    ) {
      const tenant = this.tenants.get(match[1]);
      if (tenant === undefined) {
        // Another tenant: Entra answers AADSTS90002.
        return sendJson(
          res,
          400,
          entraError('invalid_tenant', 'AADSTS90002: Tenant not found.', 90002),
        );
      }
      if (req.method === 'GET' && match[2].startsWith('v2.0')) {
        tenant.counters.openidConfiguration += 1;
        if (await applyFault(tenant, 'openidConfiguration', {}, res)) return;
        return sendJson(res, 200, this.openidConfiguration(tenant));
      }
      if (req.method === 'POST' && match[2].startsWith('oauth2')) {
        if (await applyFault(tenant, 'token', {}, res)) return;
        return this.issueToken(tenant, body, res);
      }
    }
    if (
      req.method === 'POST' &&
      (match = /^\/v1\.0\/users\/([^/]+)\/calendar\/getSchedule$/.exec(path)) !== null
    ) {
      return this.getSchedule(decodeURIComponent(match[1]), req, body, res);
    }
    if (req.method === 'GET' && path.startsWith('/v1.0/places/')) {
      return this.answerPlaces(url, req, res);
    }
    this.unknownRequests.push(`${req.method} ${path}`);
    return sendJson(res, 404, graphErrorBody(404));
  }

  private openidConfiguration(tenant: EmulatedTenant): Record<string, unknown> {
    const base = this.authorityOf(tenant);
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

  private issueToken(tenant: EmulatedTenant, body: string, res: ServerResponse): void {
    const form = new URLSearchParams(body);
    const refuse = (status: number, error: string, description: string, code: number) => {
      tenant.counters.tokensRefused += 1;
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
    if (form.get('client_id') !== tenant.clientId) {
      return refuse(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
        700016,
      );
    }
    if (form.get('client_secret') !== tenant.clientSecret) {
      return refuse(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${tenant.clientId}'.`,
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
    tenant.counters.tokensIssued += 1;
    const expiresAtMs = Date.now() + tenant.tokenLifetimeSeconds * 1000;
    const token = jwtShaped({
      aud: this.origin,
      iss: `https://sts.windows.net/${tenant.id}/`,
      appid: tenant.clientId,
      tid: tenant.id,
      // The application permissions as the Entra portal names them (Graph permissions
      // reference: Calendars.ReadBasic.All, id 8ba4a692-bc31-4128-9094-475872af8a53;
      // Place.Read.All, id 913b9306-0ce1-42b8-9137-6a7df690a760).
      roles: [...tenant.roles],
      exp: Math.floor(expiresAtMs / 1000),
    });
    this.issuedTokens.set(token, {
      audience: this.origin,
      expiresAtMs,
      tenant,
      roles: [...tenant.roles],
    });
    res.setHeader('Cache-Control', 'no-store, no-cache');
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: tenant.tokenLifetimeSeconds,
      ext_expires_in: tenant.tokenLifetimeSeconds,
      access_token: token,
    });
  }

  private async getSchedule(
    anchor: string,
    req: IncomingMessage,
    rawBody: string,
    res: ServerResponse,
  ): Promise<void> {
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
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const known = token === undefined ? undefined : this.issuedTokens.get(token);
    // The directory is the token's tenant's (its `tid`); an unknown token is counted with the
    // primary tenant's calls.
    const tenant = known?.tenant ?? this.primary;
    tenant.counters.getSchedule += 1;
    res.on('close', tenant.callStarted(anchor));
    tenant.scheduleCalls.push({
      anchor,
      schedules,
      body,
      authorization,
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
      receivedAtMs: Date.now(),
    });
    if (known === undefined || known.expiresAtMs <= Date.now() || known.audience !== this.origin) {
      return sendJson(res, 401, graphErrorBody(401));
    }
    // Per app ID, whatever the mailboxes: counted from here until the answer is written.
    if (tenant.appInFlight + 1 > tenant.appConcurrencyLimit) {
      tenant.counters.applicationThrottled += 1;
      return sendJson(res, 429, graphErrorBody(429));
    }
    appCallStarted(tenant, res);
    if (await applyFault(tenant, 'getSchedule', { anchor, schedules }, res)) return;
    const latencyMs = Math.max(
      tenant.scheduleLatencyMs,
      ...schedules.map((s) => tenant.calendar.get(s)?.latencyMs ?? 0),
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
    const weight = schedules.reduce((sum, s) => sum + tenant.calendar.weightOf(s), 0);
    if (weight > 100) {
      return sendJson(res, 400, {
        error: {
          code: 'ErrorMailboxDataArrayTooBig',
          message: `There are too many target users in the EmailAddress array. The allowed size = 100; the actual size = ${weight}.`,
        },
      });
    }
    const anchorMailbox = tenant.calendar.get(anchor);
    if (anchorMailbox === undefined || anchorMailbox.members !== undefined) {
      return sendJson(res, 404, {
        error: { code: 'ErrorInvalidUser', message: `The requested user '${anchor}' is invalid.` },
      });
    }
    if (!tenant.inScope(anchor)) {
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
      value: schedules.map((s) => tenant.calendar.scheduleFor(s, window, interval, tenant.writing)),
    });
  }

  /**
   * `GET /v1.0/places/microsoft.graph.roomlist`, `/v1.0/places/{list}/microsoft.graph.roomlist/rooms`
   * and `/v1.0/places/microsoft.graph.room` from the token's tenant's EmulatedPlaces. Without
   * Place.Read.All in the token's roles Graph refuses with the service's own words
   * (microsoftgraph/microsoft-graph-docs issues #5640, #5666); places calls count toward the
   * app's concurrent requests like getSchedule calls.
   */
  private async answerPlaces(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const known = token === undefined ? undefined : this.issuedTokens.get(token);
    const tenant = known?.tenant ?? this.primary;
    const pathAndQuery = `${url.pathname}${url.search}`;
    tenant.counters.places += 1;
    tenant.placesCalls.push(decodeURIComponent(pathAndQuery));
    if (known === undefined || known.expiresAtMs <= Date.now() || known.audience !== this.origin) {
      return sendJson(res, 401, graphErrorBody(401));
    }
    if (!known.roles.includes('Place.Read.All')) {
      return sendJson(res, 403, {
        error: {
          code: 'UnknownError',
          message: JSON.stringify({
            code: 'invalid_permissions',
            message: `place.read.all permission is required to read company places, scopes/roles provided: ${known.roles.join(' ')} IsAppOnly:True`,
          }),
        },
      });
    }
    if (tenant.appInFlight + 1 > tenant.appConcurrencyLimit) {
      tenant.counters.applicationThrottled += 1;
      return sendJson(res, 429, graphErrorBody(429));
    }
    appCallStarted(tenant, res);
    if (await applyFault(tenant, 'places', { path: pathAndQuery }, res)) return;
    if (tenant.placesLatencyMs > 0) await sleep(tenant.placesLatencyMs);
    if (res.destroyed) return;
    const collection = url.pathname.slice('/v1.0/places/'.length);
    if (collection === 'microsoft.graph.roomlist') {
      return sendJson(res, 200, tenant.places.roomListsPage(url, this.origin));
    }
    if (collection === 'microsoft.graph.room') {
      return sendJson(res, 200, tenant.places.allRoomsPage(url, this.origin));
    }
    const list = /^([^/]+)\/microsoft\.graph\.roomlist\/rooms$/.exec(collection);
    if (list !== null) {
      const page = tenant.places.roomsOfListPage(decodeURIComponent(list[1]), url, this.origin);
      if (page !== undefined) return sendJson(res, 200, page);
      return sendJson(res, 404, {
        error: {
          code: 'ErrorItemNotFound',
          message: 'The specified object was not found in the store.',
        },
      });
    }
    this.unknownRequests.push(`GET ${url.pathname}`);
    return sendJson(res, 404, graphErrorBody(404));
  }
}

/** Counts one of the app's calls in flight until its answer is written. */
function appCallStarted(tenant: EmulatedTenant, res: ServerResponse): void {
  tenant.appInFlight += 1;
  tenant.appPeakInFlight = Math.max(tenant.appPeakInFlight, tenant.appInFlight);
  res.on('close', () => (tenant.appInFlight -= 1));
}

/** Applies the tenant's next matching fault; true when it has answered (or will never answer). */
async function applyFault(
  tenant: EmulatedTenant,
  endpoint: EmulatedEndpoint,
  request: FaultRequest,
  res: ServerResponse,
): Promise<boolean> {
  const fault = tenant.faults.take(endpoint, request);
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
