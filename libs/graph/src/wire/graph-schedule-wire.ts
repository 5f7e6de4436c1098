/**
 * The JSON of Graph's `calendar/getSchedule` (docs/protocol.md section 6), as it arrives: every
 * field may be missing or null, so the mappers check each one before use. Only what the relay
 * reads is described.
 */

/** `{"dateTime":"2019-03-15T12:00:00.0000000","timeZone":"UTC"}` */
export interface GraphDateTimeTimeZone {
  readonly dateTime?: unknown;
  readonly timeZone?: unknown;
}

export interface GraphScheduleItem {
  readonly start?: GraphDateTimeTimeZone | null;
  readonly end?: GraphDateTimeTimeZone | null;
  /** free | tentative | busy | oof | workingElsewhere | unknown, in any case. */
  readonly status?: unknown;
  readonly isPrivate?: unknown;
  readonly subject?: unknown;
  readonly location?: unknown;
  /** Undocumented, but sent by the service. */
  readonly isMeeting?: unknown;
  readonly isRecurring?: unknown;
  readonly isException?: unknown;
  readonly isReminderSet?: unknown;
}

/** standardTimeZoneOffset / daylightTimeZoneOffset of a customTimeZone. */
export interface GraphTimeZoneOffset {
  /** "02:00:00.0000000" */
  readonly time?: unknown;
  /** 1..5, 5 = last */
  readonly dayOccurrence?: unknown;
  /** "sunday" */
  readonly dayOfWeek?: unknown;
  /** 1..12, 0 = no transition */
  readonly month?: unknown;
  /** 0 = every year */
  readonly year?: unknown;
  /** daylightTimeZoneOffset only: minutes added to `bias` while daylight time is in force. */
  readonly daylightBias?: unknown;
}

/** A named zone (`{name}`: Windows or IANA id) or a customTimeZone with Windows-style biases. */
export interface GraphWorkingHoursTimeZone {
  readonly '@odata.type'?: unknown;
  readonly name?: unknown;
  readonly bias?: unknown;
  readonly standardOffset?: GraphTimeZoneOffset | null;
  readonly daylightOffset?: GraphTimeZoneOffset | null;
}

export interface GraphWorkingHours {
  /** Lower-case day names: ["monday", "tuesday", ...] */
  readonly daysOfWeek?: unknown;
  /** "08:00:00.0000000" in the owner's zone */
  readonly startTime?: unknown;
  readonly endTime?: unknown;
  readonly timeZone?: GraphWorkingHoursTimeZone | null;
}

/** freeBusyError: set instead of the schedule when Graph could not read one mailbox. */
export interface GraphFreeBusyError {
  readonly message?: unknown;
  readonly responseCode?: unknown;
}

export interface GraphScheduleInformation {
  readonly scheduleId?: unknown;
  readonly availabilityView?: unknown;
  readonly scheduleItems?: readonly GraphScheduleItem[] | null;
  readonly workingHours?: GraphWorkingHours | null;
  readonly error?: GraphFreeBusyError | null;
}

/** The request body of getSchedule. */
export interface GraphScheduleRequestBody {
  readonly schedules: readonly string[];
  readonly startTime: { readonly dateTime: string; readonly timeZone: 'UTC' };
  readonly endTime: { readonly dateTime: string; readonly timeZone: 'UTC' };
  readonly availabilityViewInterval: number;
}
