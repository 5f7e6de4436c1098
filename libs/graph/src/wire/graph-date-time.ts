/**
 * Graph's dateTime strings. Without a `Prefer: outlook.timezone` header (the relay never sends
 * one) getSchedule writes every time in UTC as "2019-03-15T12:00:00.0000000": seven fractional
 * digits (.NET ticks) and no offset, with `timeZone: "UTC"` beside it. `Date.parse` would read
 * such a string as local time, so it is parsed by hand.
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Names Graph uses for UTC. Anything else would mean a Prefer header we never send. */
const UTC_NAMES = new Set(['utc', 'etc/utc', 'z', 'coordinated universal time', 'gmt', 'etc/gmt']);

/** Epoch milliseconds of a Graph `{dateTime, timeZone}`, or undefined when it cannot be read. */
export function parseGraphDateTime(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string') return undefined;
  if (timeZone !== undefined && timeZone !== null) {
    if (typeof timeZone !== 'string' || !UTC_NAMES.has(timeZone.trim().toLowerCase())) {
      return undefined;
    }
  }
  return parseUtcDateTime(dateTime.trim());
}

/** "2019-03-15T12:00:00.0000000" (UTC unless an offset is written) -> epoch milliseconds. */
export function parseUtcDateTime(text: string): number | undefined {
  // What Graph actually writes, read without the regular expression (two per event, tens of
  // thousands of events in a large lookup); anything else takes the general path below.
  if (text.length === 27 && hasGraphWireShape(text)) {
    return utcMs(
      digitsAt(text, 0, 4),
      digitsAt(text, 5, 2),
      digitsAt(text, 8, 2),
      digitsAt(text, 11, 2),
      digitsAt(text, 14, 2),
      digitsAt(text, 17, 2),
      digitsAt(text, 20, 3),
      undefined,
    );
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', offset] = m;
  // Ticks beyond the millisecond are dropped (truncated, never rounded up into the next slot).
  const millis = Number((fraction + '000').slice(0, 3));
  return utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), millis, offset);
}

function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offset: string | undefined,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (day > 28 && new Date(ms).getUTCDate() !== day) return undefined; // 2024-02-30 and the like
  if (offset === undefined || offset === 'Z') return ms;
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6));
  return ms - sign * offsetMinutes * 60_000;
}

/** "dddd-dd-ddTdd:dd:dd.ddddddd" */
function hasGraphWireShape(text: string): boolean {
  for (let i = 0; i < 27; i++) {
    const c = text.charCodeAt(i);
    switch (i) {
      case 4:
      case 7:
        if (c !== 45 /* - */) return false;
        break;
      case 10:
        if (c !== 84 /* T */) return false;
        break;
      case 13:
      case 16:
        if (c !== 58 /* : */) return false;
        break;
      case 19:
        if (c !== 46 /* . */) return false;
        break;
      default:
        if (c < 48 || c > 57) return false;
    }
  }
  return true;
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;

/** "08:30:00.0000000" -> 510 (minutes since midnight), or undefined. */
export function parseTimeOfDay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME_OF_DAY.exec(value.trim());
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
}

/** An instant as getSchedule's request wants it: "2024-03-11T07:00:00" with timeZone UTC. */
export function formatGraphUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
