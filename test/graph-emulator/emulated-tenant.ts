import { EmulatedCalendar, type ScheduleWriting } from './emulated-calendar';
import { EmulatedPlaces } from './emulated-places';
import { FaultPlan } from './emulator-faults';

export interface EmulatedTenantOptions {
  /** The tenant id in the authority URL (`https://login.../{tenant}`). */
  readonly tenant?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** `expires_in` of issued tokens. */
  readonly tokenLifetimeSeconds?: number;
  /** getSchedule and places calls of the app in flight at once before 429 ApplicationThrottled (4). */
  readonly appConcurrencyLimit?: number;
  /** The application permissions granted (the token's `roles`). */
  readonly roles?: readonly string[];
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
  /** Places GETs received (room lists, rooms of a list, all rooms), every page counted. */
  places: number;
  /** getSchedule and places calls refused with 429 ApplicationThrottled for the per-app limit. */
  applicationThrottled: number;
}

/**
 * One Microsoft 365 tenant of the emulator: its Entra app registration (client id and secret),
 * its directory (the calendars), the app's scope and its Graph behaviour switches, and what it
 * was asked. Tenants share nothing but the emulator's host, as tenants of the real Graph do.
 */
export class EmulatedTenant {
  readonly id: string;
  readonly clientId: string;
  clientSecret: string;
  tokenLifetimeSeconds: number;
  readonly calendar = new EmulatedCalendar();
  readonly places = new EmulatedPlaces();
  /**
   * The application permissions granted with admin consent, as the token's `roles` claim names
   * them (Graph permissions reference): Calendars.ReadBasic.All for getSchedule, Place.Read.All
   * for places. Read when a token is issued, as Entra does.
   */
  roles: readonly string[];
  /** The path and query of every places GET received. */
  readonly placesCalls: string[] = [];
  /** Added to every places answer. */
  placesLatencyMs = 0;
  readonly faults = new FaultPlan();
  readonly counters: EmulatorCounters = zeroCounters();
  readonly scheduleCalls: ReceivedScheduleCall[] = [];
  /** Added to every getSchedule answer, so that concurrent calls overlap measurably. */
  scheduleLatencyMs = 0;
  /** Graph's per-app concurrency limit; Infinity turns it off. */
  appConcurrencyLimit: number;
  /** How scheduleItems are written (cut off at 1,000 items by default, as the service does). */
  writing: ScheduleWriting = { maxItemsPerSchedule: 1000, omitDetails: false };
  /** getSchedule and places calls of the app in flight now (Graph's per-app count). */
  appInFlight = 0;
  /** The most calls of the app in flight at once, getSchedule and places together. */
  appPeakInFlight = 0;
  /** Mailboxes the app may use as the URL's mailbox; undefined = the whole tenant. */
  private scope?: ReadonlySet<string>;
  private inFlight = 0;
  private readonly inFlightByAnchor = new Map<string, number>();
  private peakInFlight = 0;
  private readonly peakByAnchor = new Map<string, number>();

  constructor(options: EmulatedTenantOptions = {}) {
    this.id = options.tenant ?? '6f2c3b9e-4a1d-4c8e-9b7a-emulated0001';
    this.clientId = options.clientId ?? '11111111-2222-3333-4444-555555555555';
    this.clientSecret = options.clientSecret ?? 'emulated~secret.0123456789abcdef';
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.appConcurrencyLimit = options.appConcurrencyLimit ?? 4;
    this.roles = options.roles ?? ['Calendars.ReadBasic.All', 'Place.Read.All'];
  }

  /**
   * Scopes the app to these mailboxes, as an application access policy or an RBAC for
   * Applications management scope does; no argument lifts the scope.
   */
  scopeTo(mailboxes?: readonly string[]): void {
    this.scope =
      mailboxes === undefined ? undefined : new Set(mailboxes.map((m) => m.toLowerCase()));
  }

  /** Whether the app may use this mailbox as the URL's mailbox. */
  inScope(anchor: string): boolean {
    return this.scope === undefined || this.scope.has(anchor.toLowerCase());
  }

  /** Counts a getSchedule call in flight through `anchor` until `done` is called. */
  callStarted(anchor: string): () => void {
    const key = anchor.toLowerCase();
    this.inFlight += 1;
    this.inFlightByAnchor.set(key, (this.inFlightByAnchor.get(key) ?? 0) + 1);
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.peakByAnchor.set(
      key,
      Math.max(this.peakByAnchor.get(key) ?? 0, this.inFlightByAnchor.get(key)!),
    );
    return () => {
      this.inFlight -= 1;
      this.inFlightByAnchor.set(key, this.inFlightByAnchor.get(key)! - 1);
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

  /** Forgets calls, counters and faults (the calendar stays). */
  resetRecords(): void {
    Object.assign(this.counters, zeroCounters());
    this.scheduleCalls.length = 0;
    this.placesCalls.length = 0;
    this.appPeakInFlight = 0;
    this.peakInFlight = 0;
    this.peakByAnchor.clear();
    this.faults.clear();
  }
}

function zeroCounters(): EmulatorCounters {
  return {
    openidConfiguration: 0,
    tokensIssued: 0,
    tokensRefused: 0,
    getSchedule: 0,
    places: 0,
    applicationThrottled: 0,
  };
}
