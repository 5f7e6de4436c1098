/**
 * The neutral availability model shared by the EWS front end and the providers (Graph, demo).
 * It knows nothing of XML or of Graph's JSON: instants are epoch milliseconds in UTC, statuses
 * are the EWS LegacyFreeBusyType vocabulary (which Graph's statuses map onto one to one).
 */

import type { DayOfWeek } from '@app/time-zones';

export type BusyStatus = 'Free' | 'Tentative' | 'Busy' | 'OOF' | 'WorkingElsewhere' | 'NoData';

// The week's days are calendar maths (libs/time-zones); the model hands the type on with the
// working hours that use it.
export type { DayOfWeek };

/** A half-open UTC interval [startMs, endMs). */
export interface UtcWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * What a provider is asked: the mailboxes of one tenant, each once (lookUpAvailability groups a
 * request's mailboxes by tenant, drops duplicates and puts the answers back in request order).
 */
export interface AvailabilityQuery {
  /** The tenant every mailbox belongs to (TENANTS; `default` for the single-tenant keys). */
  readonly tenant: string;
  /** Distinct SMTP addresses; the answer has one result per address, in this order. */
  readonly mailboxes: readonly string[];
  readonly window: UtcWindow;
  /** Granularity of the merged free/busy string the caller asked for (5..1440). */
  readonly intervalMinutes: number;
  /** Whether the caller asked for event details (Detailed* views). Providers may still omit them. */
  readonly wantDetails: boolean;
  /** Correlates provider log lines with the HTTP request. */
  readonly requestId?: string;
}

export interface EventDetails {
  readonly id?: string;
  readonly subject?: string;
  readonly location?: string;
  readonly isMeeting: boolean;
  readonly isRecurring: boolean;
  readonly isException: boolean;
  readonly isReminderSet: boolean;
  readonly isPrivate: boolean;
}

export interface CalendarEvent {
  readonly startMs: number;
  readonly endMs: number;
  readonly status: BusyStatus;
  /** Present when the provider knows them; the EWS renderer decides what is shown. */
  readonly details?: EventDetails;
}

/**
 * The zone a mailbox owner's working hours are expressed in. Graph gives either a named zone
 * (a Windows id such as "Pacific Standard Time" or an IANA id such as "Europe/Berlin") or a
 * custom zone with Windows-style biases (minutes, UTC = local + bias).
 */
export type WorkingHoursZone =
  | { readonly kind: 'named'; readonly name: string }
  | {
      readonly kind: 'custom';
      readonly name?: string;
      readonly bias: number;
      readonly standard: ZoneTransitionRule & { readonly bias: number };
      readonly daylight: ZoneTransitionRule & { readonly bias: number };
    };

/** A Windows-style yearly transition rule ("the last Sunday of March at 02:00"). */
export interface ZoneTransitionRule {
  /** Local time of day in minutes since midnight, read on the clock in force before the change. */
  readonly timeMinutes: number;
  /** 1..4, 5 = last. */
  readonly dayOrder: number;
  /** 1..12; 0 = no rule. */
  readonly month: number;
  readonly dayOfWeek: DayOfWeek;
  /** When set the rule is an absolute date (dayOrder is then the day of the month). */
  readonly year?: number;
}

export interface WorkingHours {
  readonly daysOfWeek: readonly DayOfWeek[];
  /** Minutes since local midnight in the owner's zone. */
  readonly startMinutes: number;
  readonly endMinutes: number;
  readonly zone: WorkingHoursZone;
}

/** Why a single mailbox could not be answered. The EWS layer maps these to response codes. */
export type MailboxFailureReason =
  /** The address does not resolve, or is outside the relay's allowed domains. */
  | 'recipientNotFound'
  /** The calendar exists but its owner does not share free/busy with us. */
  | 'accessDenied'
  /** The upstream answered, but not usefully for this mailbox. */
  | 'generationFailed'
  /** The upstream did not answer within the lookup's deadline. */
  | 'timeout';

export type MailboxAvailability =
  | {
      readonly address: string;
      readonly outcome: 'ok';
      /** Events overlapping the window, whole (not clipped), sorted by start. */
      readonly events: readonly CalendarEvent[];
      readonly workingHours?: WorkingHours;
    }
  | {
      readonly address: string;
      readonly outcome: 'failed';
      readonly reason: MailboxFailureReason;
      /**
       * What went wrong, in a few words safe to show the caller ("deadline of 8000 ms passed"):
       * no secrets, no subjects, no upstream internals. The EWS layer writes the answer's text
       * from the reason (Exchange's wording) and adds this.
       */
      readonly detail?: string;
    };

export interface AvailabilityResult {
  /** One entry per query mailbox, in the query's order. */
  readonly mailboxes: readonly MailboxAvailability[];
  /** Bookkeeping for the audit log line and metrics. */
  readonly stats?: { readonly upstreamCalls: number; readonly cacheHits: number };
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** Why not ready, for the health endpoint (never a secret). */
  readonly detail?: string;
  /** With several tenants, each one's own verdict (the relay is ready while any can serve). */
  readonly tenants?: readonly (ReadinessReport & { readonly tenant: string })[];
}
