import { daysInMonth } from './local-date-time';
import type { DayOfWeek } from './time-zone-types';

/** Index = JavaScript's getUTCDay() (0 = Sunday), the order EWS's DayOfWeekType lists them in. */
export const DAYS_OF_WEEK: readonly DayOfWeek[] = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

/** EWS DayOrder / Occurrence value meaning "the last such weekday of the month". */
export const LAST_WEEKDAY_ORDER = 5;

/** Day of the week of a Gregorian date (month 1..12), without Date's two-digit-year quirk. */
export function dayOfWeekOf(year: number, month: number, day: number): DayOfWeek {
  // Sakamoto's method.
  const monthOffsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const y = month < 3 ? year - 1 : year;
  const index =
    y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) +
    monthOffsets[month - 1] +
    day;
  return DAYS_OF_WEEK[((index % 7) + 7) % 7];
}

/**
 * Day of the month of the `order`-th `dayOfWeek` in `month`: the day a SerializableTimeZone
 * (DayOrder) or a RecurringDayTransition (Occurrence) names. 1..4 count from the start; 5, and
 * -1 as TimeZoneDefinition writes it (docs/protocol.md 4.2), mean the last one. Other values are
 * clamped (below 1 = first, above 5 = last) so a sloppy rule still yields a date.
 */
export function nthWeekdayOfMonth(
  year: number,
  month: number,
  dayOfWeek: DayOfWeek,
  order: number,
): number {
  const firstWeekday = DAYS_OF_WEEK.indexOf(dayOfWeekOf(year, month, 1));
  const firstMatch = 1 + ((DAYS_OF_WEEK.indexOf(dayOfWeek) - firstWeekday + 7) % 7);
  const last = daysInMonth(year, month);
  const wantsLast = order < 0 || order >= LAST_WEEKDAY_ORDER;
  if (wantsLast) return firstMatch + 7 * Math.floor((last - firstMatch) / 7);
  return firstMatch + 7 * (Math.max(1, Math.floor(order)) - 1);
}

/**
 * The weekday rule that names a date: e.g. 2024-03-31 -> last (5) Sunday; 2024-03-10 -> second
 * Sunday. The last such weekday is always 5 (even when it is also the fourth), because that is
 * how Windows writes "last Sunday" rules such as the EU's (docs/protocol.md 4.2 table).
 */
export function weekdayOrderOf(
  year: number,
  month: number,
  day: number,
): { readonly dayOfWeek: DayOfWeek; readonly dayOrder: number } {
  const dayOfWeek = dayOfWeekOf(year, month, day);
  const dayOrder = day + 7 > daysInMonth(year, month) ? LAST_WEEKDAY_ORDER : Math.ceil(day / 7);
  return { dayOfWeek, dayOrder };
}
