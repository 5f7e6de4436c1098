import { type AnnualBiasRule, fixedAnnualRule, timelineFromAnnualRules } from './annual-bias-rules';
import { BiasTimelineZone } from './bias-timeline-zone';
import { dateAsUtcMs, daysInMonth, MINUTE_MS } from './local-date-time';
import type {
  RequesterZone,
  SerializableTimeChange,
  SerializableTimeZone,
} from './time-zone-types';
import { nthWeekdayOfMonth } from './weekday-of-month';

/**
 * The requester zone of an EWS SerializableTimeZone (body t:TimeZone; docs/protocol.md 4.1, 4.2):
 * - UTC = local + Bias + the Bias of the period in force.
 * - DaylightTime is when DST starts, read on the standard clock; StandardTime is when it ends,
 *   read on the daylight clock (some Microsoft pages say it the other way round; Windows and
 *   Exchange behave like this). Southern-hemisphere rules (DST starts in a later month than it
 *   ends) need nothing special.
 * - No DST when a Month is 0 (or not 1..12) or both periods have the same bias: the
 *   ews-java-api and DavMail "UTC" dummies have months 3 and 10 with equal biases. The zone
 *   then keeps Bias + StandardTime.Bias.
 * - DayOrder 1..4 counts weekdays from the start of the month, 5 is the last one.
 * - With Year present the rule is a date: DayOrder is the day of the month (clamped to the
 *   month's length) and DayOfWeek is ignored. Like the EWS Managed API
 *   (LegacyAvailabilityTimeZoneTime.ToTransitionTime -> TransitionTime.CreateFixedDateRule),
 *   that date applies in every year, not only in Year: a client that pins a date means the rule
 *   of the year it asks about, and the alternative (no DST in other years) is surely wrong.
 * - Gap and overlap: see BiasTimelineZone (gap read with the standard bias, overlap = the
 *   earlier, daylight instant).
 *
 * Never throws: odd DayOrder values are clamped (see nthWeekdayOfMonth); the request parser
 * is where malformed rules are rejected with ErrorTimeZone.
 */
export function zoneFromSerializableTimeZone(tz: SerializableTimeZone): RequesterZone {
  const standardBiasMs = (tz.bias + tz.standardTime.bias) * MINUTE_MS;
  const daylightBiasMs = (tz.bias + tz.daylightTime.bias) * MINUTE_MS;
  const hasDaylightTime =
    isMonth(tz.standardTime.month) &&
    isMonth(tz.daylightTime.month) &&
    standardBiasMs !== daylightBiasMs;

  const rule: AnnualBiasRule = hasDaylightTime
    ? [
        {
          wallMsInYear: (year) => changeWallMs(tz.daylightTime, year),
          biasMsAfter: daylightBiasMs,
        },
        {
          wallMsInYear: (year) => changeWallMs(tz.standardTime, year),
          biasMsAfter: standardBiasMs,
        },
      ]
    : fixedAnnualRule(standardBiasMs);
  return new BiasTimelineZone(
    describeSerializableTimeZone(tz),
    timelineFromAnnualRules(() => rule),
  );
}

function isMonth(month: number): boolean {
  return Number.isInteger(month) && month >= 1 && month <= 12;
}

/** When a StandardTime/DaylightTime change happens in `year`, on the clock in force before it. */
function changeWallMs(change: SerializableTimeChange, year: number): number {
  const day =
    change.year === undefined
      ? nthWeekdayOfMonth(year, change.month, change.dayOfWeek, change.dayOrder)
      : Math.min(Math.max(1, Math.floor(change.dayOrder)), daysInMonth(year, change.month));
  return dateAsUtcMs(year, change.month, day) + Math.round(change.timeMinutes * MINUTE_MS);
}

function describeChange(change: SerializableTimeChange): string {
  const time = `${Math.floor(change.timeMinutes / 60)}:${String(change.timeMinutes % 60).padStart(2, '0')}`;
  const when =
    change.year === undefined
      ? `${change.dayOrder}/${change.month}/${change.dayOfWeek}`
      : `${change.year}-${change.month}-${change.dayOrder}`;
  return `${change.bias}@${time} ${when}`;
}

/** For logs: "SerializableTimeZone(bias=480,std=0@2:00 1/11/Sunday,dlt=-60@2:00 2/3/Sunday)". */
function describeSerializableTimeZone(tz: SerializableTimeZone): string {
  return (
    `SerializableTimeZone(bias=${tz.bias},` +
    `std=${describeChange(tz.standardTime)},dlt=${describeChange(tz.daylightTime)})`
  );
}
