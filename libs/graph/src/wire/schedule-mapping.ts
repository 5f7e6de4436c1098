import type {
  BusyStatus,
  CalendarEvent,
  EventDetails,
  MailboxAvailability,
  UtcWindow,
} from '@app/availability';
import { eventsMissingFromView, type ViewGrid } from './availability-view';
import { parseGraphDateTime } from './graph-date-time';
import type { GraphScheduleInformation, GraphScheduleItem } from './graph-schedule-wire';
import { failedMailbox, failureFromScheduleError } from './schedule-error-mapping';
import { mapWorkingHours } from './working-hours-mapping';

/**
 * Graph's scheduleItem statuses, compared case-insensitively: the service writes "busy" in one
 * answer and "Busy" in another. They map one to one onto EWS's LegacyFreeBusyType; "unknown"
 * is EWS's NoData.
 */
const STATUSES: Readonly<Record<string, BusyStatus>> = {
  free: 'Free',
  tentative: 'Tentative',
  busy: 'Busy',
  oof: 'OOF',
  workingelsewhere: 'WorkingElsewhere',
  unknown: 'NoData',
};

export function busyStatusFromGraph(status: unknown): BusyStatus {
  if (typeof status !== 'string') return 'NoData';
  return STATUSES[status.trim().toLowerCase()] ?? 'NoData';
}

export interface ScheduleMappingOptions {
  /** The lookup's window: events not overlapping it are dropped (overlapping ones stay whole). */
  readonly window: UtcWindow;
  /** Whether to keep subject, location and flags. False keeps them out of memory altogether. */
  readonly includeDetails: boolean;
  /**
   * Where the answer's availabilityView slots lie (the startTime and interval sent): when
   * given, busy slots no item explains become events (availability-view.ts).
   */
  readonly view?: ViewGrid;
}

/**
 * One element of getSchedule's `value[]` -> the mailbox's neutral result. A per-schedule error
 * becomes a per-mailbox failure; an item whose times cannot be read fails the mailbox rather
 * than silently dropping what may be a busy block (which would show its owner as free).
 */
export function mapScheduleInformation(
  info: GraphScheduleInformation,
  address: string,
  options: ScheduleMappingOptions,
): MailboxAvailability {
  if (typeof info.error === 'object' && info.error !== null) {
    return failureFromScheduleError(address, info.error);
  }
  const rawItems = info.scheduleItems ?? [];
  if (!Array.isArray(rawItems)) {
    return failedMailbox(address, 'generationFailed', 'unreadable scheduleItems');
  }
  const events: CalendarEvent[] = [];
  for (const item of rawItems as readonly GraphScheduleItem[]) {
    if (typeof item !== 'object' || item === null) {
      return failedMailbox(address, 'generationFailed', 'unreadable schedule item');
    }
    const startMs = parseGraphDateTime(item.start);
    const endMs = parseGraphDateTime(item.end);
    if (startMs === undefined || endMs === undefined || endMs < startMs) {
      return failedMailbox(address, 'generationFailed', 'unreadable schedule item times');
    }
    if (!overlaps(startMs, endMs, options.window)) continue;
    const status = busyStatusFromGraph(item.status);
    events.push(
      options.includeDetails
        ? { startMs, endMs, status, details: detailsOf(item) }
        : { startMs, endMs, status },
    );
  }
  if (options.view !== undefined) {
    events.push(
      ...eventsMissingFromView(events, info.availabilityView, options.view, options.window),
    );
  }
  events.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const workingHours = mapWorkingHours(info.workingHours);
  return {
    address,
    outcome: 'ok',
    events,
    ...(workingHours !== undefined ? { workingHours } : {}),
  };
}

/** [start, end) overlaps the window; an instant event counts when it lies inside it. */
function overlaps(startMs: number, endMs: number, window: UtcWindow): boolean {
  if (startMs === endMs) return startMs >= window.startMs && startMs < window.endMs;
  return startMs < window.endMs && endMs > window.startMs;
}

/**
 * The item's details. A private item never keeps its subject or location, whatever Graph sent:
 * the renderer hides them too, but what is never held cannot leak (docs/protocol.md 5).
 */
function detailsOf(item: GraphScheduleItem): EventDetails {
  const isPrivate = item.isPrivate === true;
  // One object shape for every item, with subject/location added only when present: spreading
  // conditional literals ({...(x ? {subject} : {})}) cost several microseconds per event.
  const details: { -readonly [K in keyof EventDetails]: EventDetails[K] } = {
    isMeeting: item.isMeeting === true,
    isRecurring: item.isRecurring === true,
    isException: item.isException === true,
    isReminderSet: item.isReminderSet === true,
    isPrivate,
  };
  if (!isPrivate) {
    const subject = nonEmptyText(item.subject);
    const location = nonEmptyText(item.location);
    if (subject !== undefined) details.subject = subject;
    if (location !== undefined) details.location = location;
  }
  return details;
}

function nonEmptyText(value: unknown): string | undefined {
  // getSchedule writes location as a string; tolerate the event resource's {displayName} too.
  if (typeof value === 'object' && value !== null && 'displayName' in value) {
    return nonEmptyText(value.displayName);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * Which element of getSchedule's `value[]` answers each requested schedule: the one whose
 * `scheduleId` is the address (case-insensitively; Graph echoes the address as it stores it),
 * else the one at the same position when the answer has one element per request and that
 * element's id names no requested address (Graph answers an alias under the mailbox's primary
 * address), else none (that schedule fails alone).
 */
export function matchSchedules(
  schedules: readonly GraphScheduleInformation[],
  requested: readonly string[],
): (GraphScheduleInformation | undefined)[] {
  const idOf = (info: GraphScheduleInformation | undefined) =>
    typeof info?.scheduleId === 'string' ? info.scheduleId.trim().toLowerCase() : undefined;
  const byId = new Map<string, GraphScheduleInformation>();
  for (const info of schedules) {
    const id = idOf(info);
    if (id !== undefined) byId.set(id, info);
  }
  const requestedKeys = new Set(requested.map((address) => address.trim().toLowerCase()));
  const positional = schedules.length === requested.length;
  return requested.map((address, i) => {
    const exact = byId.get(address.trim().toLowerCase());
    if (exact !== undefined) return exact;
    if (!positional) return undefined;
    const id = idOf(schedules[i]);
    return id === undefined || !requestedKeys.has(id) ? schedules[i] : undefined;
  });
}

/** getSchedule's `value[]` -> one result per requested schedule (see matchSchedules). */
export function mapScheduleAnswer(
  schedules: readonly GraphScheduleInformation[],
  requested: readonly string[],
  options: ScheduleMappingOptions,
): MailboxAvailability[] {
  const matched = matchSchedules(schedules, requested);
  return requested.map((address, i) => {
    const info = matched[i];
    return info === undefined
      ? failedMailbox(address, 'generationFailed', 'missing from the Graph answer')
      : mapScheduleInformation(info, address, options);
  });
}
