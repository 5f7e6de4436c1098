import { utcMsAsLocalDateTime, zoneFromIanaName, type RequesterZone } from '@app/time-zones';

/**
 * Calendar days and local wall-clock times of the demo calendars. The zone rules are the
 * relay's own (libs/time-zones, the IANA data of the runtime's Intl), so a demo event lands
 * where the EWS layer would place it. Pure.
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

function zoneNamed(ianaName: string): RequesterZone {
  const zone = zoneFromIanaName(ianaName);
  if (zone === undefined) throw new Error(`The runtime does not know the zone ${ianaName}`);
  return zone;
}

/**
 * The UTC instant of `minutes` after local midnight of `day` in the IANA zone `ianaName`. A
 * wall-clock time that occurs twice (autumn) resolves to its first occurrence; one that a
 * spring-forward change skips resolves with the offset before the change (02:30 -> 03:30 new
 * time), as calendars do (RequesterZone.toUtc).
 */
export function localToUtcMs(ianaName: string, day: DayNumber, minutes: number): number {
  return zoneNamed(ianaName).toUtc(utcMsAsLocalDateTime(day * DAY_MS + minutes * MINUTE_MS));
}
