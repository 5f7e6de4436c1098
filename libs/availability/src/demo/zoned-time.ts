/**
 * Local wall-clock time in an IANA zone -> UTC, with the zone rules of the runtime's Intl data.
 * Just enough for the demo calendars (events at plausible local times); the EWS layer has its
 * own, complete time-zone code. Pure.
 */

const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A calendar date as days since 1970-01-01 (the proleptic Gregorian calendar, no zone). */
export type DayNumber = number;

export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** `YYYYMMDD`, for stable event ids. */
export function compactDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in minutes (UTC+2 -> 120). */
export function utcOffsetMinutes(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((asUtc - Math.floor(utcMs / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/**
 * The UTC instant of `minutes` after local midnight of `day` in `zone`. A wall-clock time that
 * occurs twice (autumn) resolves to its first occurrence; one that a spring-forward change skips
 * resolves with the offset before the change (02:30 -> 03:30 new time), as calendars do.
 */
export function localToUtcMs(zone: string, day: DayNumber, minutes: number): number {
  const wallClock = day * DAY_MS + minutes * MINUTE_MS;
  // The offsets in force a day either side cover any single transition near this time.
  const before = utcOffsetMinutes(zone, wallClock - DAY_MS);
  const after = utcOffsetMinutes(zone, wallClock + DAY_MS);
  const valid = [before, after]
    .map((offset) => wallClock - offset * MINUTE_MS)
    .filter((utc) => wallClock - utcOffsetMinutes(zone, utc) * MINUTE_MS === utc);
  return valid.length > 0 ? Math.min(...valid) : wallClock - before * MINUTE_MS;
}
