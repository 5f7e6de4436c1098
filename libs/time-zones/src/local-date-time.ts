import type { LocalDateTime } from './time-zone-types';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The result of parsing an EWS xs:dateTime. */
export interface ParsedXsDateTime {
  /** The wall-clock fields exactly as written (no zone applied). */
  readonly local: LocalDateTime;
  /**
   * The explicit offset, minutes east of UTC (`+01:00` = 60, `-05:30` = -330, `Z` = 0), so
   * UTC = local - offset. Absent for a naive value, which is read in the requester's zone
   * (docs/protocol.md 4.1: an explicit offset wins for that value).
   */
  readonly offsetMinutes?: number;
}

// xs:dateTime lexical form (XML Schema 1.0 part 2, 3.2.7), restricted to four-digit years:
// no EWS client sends anything else, and Date arithmetic stays exact.
const XS_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

// xs:dateTime allows offsets up to 14:00 either way.
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * Parses EWS xs:dateTime text: naive (`2024-03-04T00:00:00`), `Z`, `+01:00` / `-05:30`, and
 * fractional seconds of any length (docs/protocol.md 4: exchangelib sends microseconds); fractions
 * are truncated to milliseconds. Surrounding whitespace is ignored (xs:dateTime collapses it).
 * `T24:00:00` is the end of the day, as XML Schema 1.0 allows, and reads as 00:00 the next day.
 *
 * Returns `undefined` for anything else, including out-of-range fields (month 13, hour 25,
 * 30 February, year 0000, offsets beyond 14:00). Callers turn that into the EWS error that fits
 * where the value came from (a TimeWindow bound and a transition date fail differently), which
 * is why this does not throw.
 */
export function parseXsDateTime(text: string): ParsedXsDateTime | undefined {
  const match = XS_DATE_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  if (minute > 59 || second > 59) return undefined;
  const endOfDay = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(fraction ?? '');
  if (hour > 23 && !endOfDay) return undefined;

  const offsetMinutes = zone === undefined ? undefined : parseOffsetMinutes(zone);
  if (offsetMinutes === null) return undefined;

  const fields: LocalDateTime = { year, month, day, hour, minute, second, millisecond };
  const local = endOfDay
    ? utcMsAsLocalDateTime(localDateTimeAsUtcMs({ ...fields, hour: 0 }) + DAY_MS)
    : fields;
  return offsetMinutes === undefined ? { local } : { local, offsetMinutes };
}

/** `Z` / `+hh:mm` / `-hh:mm` -> minutes east of UTC; `null` when out of range. */
function parseOffsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  const total = hours * 60 + minutes;
  if (minutes > 59 || total > MAX_OFFSET_MINUTES) return null;
  return zone.startsWith('-') && total !== 0 ? -total : total;
}

/**
 * `yyyy-MM-ddTHH:mm:ss`: how EWS writes response times (docs/protocol.md 5: no offset, no
 * fractions; the requester reads them in its own zone). Milliseconds are dropped, not rounded,
 * so an event never appears to start later than it does.
 */
export function formatLocalDateTime(local: LocalDateTime): string {
  // Two per event in every response: table lookups rather than String() + padStart per field.
  const year = local.year >= 1000 && local.year <= 9999 ? String(local.year) : pad(local.year, 4);
  return (
    year +
    '-' +
    twoDigits(local.month) +
    '-' +
    twoDigits(local.day) +
    'T' +
    twoDigits(local.hour) +
    ':' +
    twoDigits(local.minute) +
    ':' +
    twoDigits(local.second)
  );
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) =>
  String(n).padStart(2, '0'),
);

function twoDigits(value: number): string {
  return TWO_DIGITS[value] ?? pad(value, 2);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// 400 Gregorian years are exactly 146097 days, so shifting by them keeps every date's weekday
// and leap-year status.
const GREGORIAN_CYCLE_YEARS = 400;
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS;

/**
 * The wall clock read as if it were UTC: epoch ms of the same fields in UTC. This is the
 * "local ms" the zone code does arithmetic on (UTC = local + bias). Out-of-range fields roll
 * over as with Date.UTC (day 32 = next month's first).
 */
export function localDateTimeAsUtcMs(local: LocalDateTime): number {
  // Date.UTC reads years 0..99 as 1900..1999; compute those one Gregorian cycle later.
  const shift = local.year >= 0 && local.year < 100 ? GREGORIAN_CYCLE_YEARS : 0;
  const ms = Date.UTC(
    local.year + shift,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
  return shift === 0 ? ms : ms - GREGORIAN_CYCLE_MS;
}

/** The inverse of localDateTimeAsUtcMs: the UTC fields of an epoch ms, as a wall clock. */
export function utcMsAsLocalDateTime(ms: number): LocalDateTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** Midnight at the start of `year`-`month`-`day`, as wall-clock ms (see localDateTimeAsUtcMs). */
export function dateAsUtcMs(year: number, month: number, day: number): number {
  return localDateTimeAsUtcMs({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 });
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** month 1..12 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
