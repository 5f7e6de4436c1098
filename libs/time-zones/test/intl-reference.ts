import type { LocalDateTime } from '../src/time-zone-types';

/**
 * An independent reference for the zone code's answers, straight from Intl (ICU's copy of the
 * IANA database), using formatted wall-clock fields rather than the offsets the code reads.
 * Spec support only (not part of the relay).
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(ianaName: string): Intl.DateTimeFormat {
  let formatter = formatters.get(ianaName);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: ianaName,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(ianaName, formatter);
  }
  return formatter;
}

/** The wall clock in `ianaName` at an instant (milliseconds carried over from the instant). */
export function intlWallClock(ianaName: string, utcMs: number): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(ianaName).formatToParts(utcMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
    millisecond: ((utcMs % 1000) + 1000) % 1000,
  };
}

function wallMs(local: LocalDateTime): number {
  return Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
}

/** EWS-signed bias in minutes (UTC = local + bias) at an instant. */
export function intlBiasMinutes(ianaName: string, utcMs: number): number {
  return (utcMs - wallMs(intlWallClock(ianaName, utcMs))) / 60_000;
}

/**
 * Wall clock -> UTC the way docs/protocol.md 4.2 asks: the earliest instant showing that wall
 * clock; in a spring-forward gap, the wall clock read with the bias before the jump (the larger
 * one).
 */
export function intlToUtc(ianaName: string, local: LocalDateTime): number {
  const wall = wallMs(local);
  const biases = new Set<number>();
  for (let h = -15; h <= 15; h++) biases.add(intlBiasMinutes(ianaName, wall + h * HOUR_MS));
  const fitting = [...biases]
    .map((bias) => wall + bias * 60_000)
    .filter((instant) => intlBiasMinutes(ianaName, instant) * 60_000 === instant - wall);
  if (fitting.length > 0) return Math.min(...fitting);
  return wall + Math.max(...biases) * 60_000;
}

/** The instants in a UTC year at which the zone's offset changes (weekly scan + bisection). */
export function intlTransitions(ianaName: string, year: number): number[] {
  const found: number[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let before = Date.UTC(year, 0, 1);
  let biasBefore = intlBiasMinutes(ianaName, before);
  while (before < end) {
    const after = Math.min(before + 7 * 24 * HOUR_MS, end);
    const biasAfter = intlBiasMinutes(ianaName, after);
    if (biasAfter !== biasBefore) {
      let lo = before;
      let hi = after;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlBiasMinutes(ianaName, mid) === biasAfter) hi = mid;
        else lo = mid;
      }
      found.push(hi);
    }
    before = after;
    biasBefore = biasAfter;
  }
  return found;
}
