/** The days of the week as EWS's DayOfWeekType names them. */
export type DayOfWeek =
  'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday';

/** A wall-clock date and time with no zone attached (EWS "naive" dateTime). */
export interface LocalDateTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** One yearly transition of a SerializableTimeZone (EWS t:StandardTime / t:DaylightTime). */
export interface SerializableTimeChange {
  /** Minutes added to the base Bias while this period is in force. */
  readonly bias: number;
  /** "hh:mm:ss" as minutes since midnight, on the clock in force before the change. */
  readonly timeMinutes: number;
  /** 1..4, 5 = last; with `year` set, the day of the month. */
  readonly dayOrder: number;
  /** 1..12; 0 = no rule (no DST). */
  readonly month: number;
  readonly dayOfWeek: DayOfWeek;
  readonly year?: number;
}

/** EWS t:SerializableTimeZone (GetUserAvailability body t:TimeZone, WorkingHours t:TimeZone). */
export interface SerializableTimeZone {
  /** Minutes, UTC = local + bias (west positive: Pacific 480, Berlin -60). */
  readonly bias: number;
  /** The rule for leaving DST (read on the daylight clock). */
  readonly standardTime: SerializableTimeChange;
  /** The rule for entering DST (read on the standard clock). */
  readonly daylightTime: SerializableTimeChange;
}

/** EWS t:TimeZoneDefinition (SOAP header t:TimeZoneContext, GetServerTimeZones). */
export interface TimeZoneDefinition {
  readonly id?: string;
  readonly name?: string;
  /** Absent for an Id-only definition (resolve the id through the Windows zone table). */
  readonly periods?: readonly TimeZonePeriod[];
  readonly transitionsGroups?: readonly TransitionsGroup[];
  readonly transitions?: readonly ZoneTransition[];
}

export interface TimeZonePeriod {
  readonly id: string;
  readonly name: string;
  /** Minutes, same sign as SerializableTimeZone.bias (PT8H = 480, -PT1H = -60). */
  readonly biasMinutes: number;
}

export interface TransitionsGroup {
  readonly id: string;
  readonly transitions: readonly ZoneTransition[];
}

export type ZoneTransitionTarget = { readonly kind: 'Period' | 'Group'; readonly id: string };

export type ZoneTransition =
  /** t:Transition: unconditional switch (first entry of Transitions). */
  | { readonly type: 'plain'; readonly to: ZoneTransitionTarget }
  /** t:AbsoluteDateTransition: switch at a given local date-time. */
  | {
      readonly type: 'absolute';
      readonly to: ZoneTransitionTarget;
      readonly dateTime: LocalDateTime;
    }
  /** t:RecurringDayTransition: e.g. second Sunday of March at 02:00; occurrence -1 = last. */
  | {
      readonly type: 'recurringDay';
      readonly to: ZoneTransitionTarget;
      readonly timeOffsetMinutes: number;
      readonly month: number;
      readonly dayOfWeek: DayOfWeek;
      readonly occurrence: number;
    }
  /** t:RecurringDateTransition: e.g. 1 April at 00:00 every year. */
  | {
      readonly type: 'recurringDate';
      readonly to: ZoneTransitionTarget;
      readonly timeOffsetMinutes: number;
      readonly month: number;
      readonly day: number;
    };

/**
 * The zone a request's naive times are read in and its response times are written in.
 * Implementations precompute what they can (transitions per year), since rendering converts
 * every event of every mailbox.
 */
export interface RequesterZone {
  /** For logs: "UTC", "Pacific Standard Time", "SerializableTimeZone(bias=480,...)". */
  readonly description: string;
  /**
   * Wall clock -> UTC epoch ms. A time in the spring-forward gap is read with the standard
   * bias; a time in the fall-back overlap is the earlier (daylight) instant.
   */
  toUtc(local: LocalDateTime): number;
  /** UTC epoch ms -> wall clock. */
  toLocal(utcMs: number): LocalDateTime;
}
