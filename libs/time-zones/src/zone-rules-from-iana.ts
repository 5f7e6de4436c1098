import type { BiasChange, BiasTimelineZone } from './bias-timeline-zone';
import { MINUTE_MS, utcMsAsLocalDateTime } from './local-date-time';
import type {
  SerializableTimeChange,
  SerializableTimeZone,
  TimeZoneDefinition,
  ZoneTransition,
} from './time-zone-types';
import { LAST_WEEKDAY_ORDER, weekdayOrderOf } from './weekday-of-month';
import {
  canonicalWindowsId,
  timelineZoneForIanaName,
  timelineZoneForWindowsId,
} from './windows-zones';

/**
 * StandardTime/DaylightTime of a zone without DST: Month 0 means "no rule" (docs/protocol.md
 * 4.2).
 */
const NO_RULE: SerializableTimeChange = {
  bias: 0,
  timeMinutes: 0,
  // 1 rather than Windows' 0: with Month 0 nobody should read it, but clients that validate
  // DayOrder as 1..5 regardless (exchangelib's own no-DST placeholder uses 1) stay happy.
  dayOrder: 1,
  month: 0,
  dayOfWeek: 'Sunday',
};

/** The year's DST pair, if the zone has one: entering (bias drops) and leaving (bias rises). */
interface DaylightPair {
  readonly enter: BiasChange;
  readonly leave: BiasChange;
}

function daylightPairOf(changes: readonly BiasChange[]): DaylightPair | undefined {
  const enter = changes.find((c) => c.biasMsAfter < c.biasMsBefore);
  const leave = changes.find((c) => c.biasMsAfter > c.biasMsBefore);
  if (enter === undefined || leave === undefined) return undefined;
  // Only a change there and back is a DST rule; anything else (a zone moving its standard
  // offset that year) is not expressible as one, and the caller falls back to a fixed bias.
  const roundTrip =
    enter.biasMsBefore === leave.biasMsAfter && enter.biasMsAfter === leave.biasMsBefore;
  return roundTrip ? { enter, leave } : undefined;
}

function minutes(ms: number): number {
  // + 0 turns a -0 (from rounding a small negative) into the 0 clients expect to read.
  return Math.round(ms / MINUTE_MS) + 0;
}

/**
 * A change as Windows writes it: on the wall clock in force before it (docs/protocol.md 4.2), as
 * the DayOrder-th weekday of its month (5 = last) at a time of day.
 */
function timeChangeOf(change: BiasChange, bias: number): SerializableTimeChange {
  const wall = utcMsAsLocalDateTime(change.utcMs - change.biasMsBefore);
  const { dayOfWeek, dayOrder } = weekdayOrderOf(wall.year, wall.month, wall.day);
  return {
    bias,
    timeMinutes: wall.hour * 60 + wall.minute,
    dayOrder,
    month: wall.month,
    dayOfWeek,
  };
}

function timeZoneRulesOf(zone: BiasTimelineZone, year: number): SerializableTimeZone {
  const timeline = zone.timelineForUtcYear(year);
  const pair = daylightPairOf(timeline.changes);
  if (pair === undefined) {
    // No DST this year: keep the bias the year ends with, the rule the zone settled on.
    const last = timeline.changes[timeline.changes.length - 1];
    const bias = minutes(last === undefined ? timeline.biasMsAtStart : last.biasMsAfter);
    return { bias, standardTime: NO_RULE, daylightTime: NO_RULE };
  }
  const standardBias = minutes(pair.enter.biasMsBefore);
  const daylightDelta = minutes(pair.enter.biasMsAfter) - standardBias;
  return {
    bias: standardBias,
    standardTime: timeChangeOf(pair.leave, 0),
    daylightTime: timeChangeOf(pair.enter, daylightDelta),
  };
}

function timelineZoneFor(name: string): BiasTimelineZone | undefined {
  return canonicalWindowsId(name) === undefined
    ? timelineZoneForIanaName(name)
    : timelineZoneForWindowsId(name);
}

/**
 * The SerializableTimeZone (WorkingHours t:TimeZone) of a Windows id or an IANA name in
 * `year`, derived from the zone's actual IANA transitions that year rather than from
 * hand-written rule tables: Bias = the standard bias; DaylightTime = when DST starts (Bias
 * -60 etc., Time on the standard clock), StandardTime = when it ends (Time on the daylight
 * clock); DayOrder 1..4, or 5 when the change falls on the last such weekday of its month.
 * The rules are exact for `year`; whether they hold in other years depends on the zone (a
 * 4th-Sunday rule whose date is also the last Sunday comes out as 5).
 * Zones without DST that year get Month 0 and equal biases.
 */
export function serializableTimeZoneFor(
  name: string,
  year: number,
): SerializableTimeZone | undefined {
  // Asked once per mailbox of every response (its working hours), almost always for the same
  // few zones: the CLDR lookup (a linear search in windows-iana) and the year's rules are
  // worked out once per name and year. The IANA data cannot change while the process runs.
  const key = `${year}|${name}`;
  if (rulesByNameAndYear.has(key)) return rulesByNameAndYear.get(key);
  const zone = timelineZoneFor(name);
  const rules = zone === undefined ? undefined : timeZoneRulesOf(zone, year);
  // Keyed by what Graph sends, so bounded; a clear now and then is plenty.
  if (rulesByNameAndYear.size >= MAX_CACHED_RULES) rulesByNameAndYear.clear();
  rulesByNameAndYear.set(key, rules);
  return rules;
}

const MAX_CACHED_RULES = 1024;
const rulesByNameAndYear = new Map<string, SerializableTimeZone | undefined>();

function recurringDayTransitionTo(
  periodId: string,
  change: SerializableTimeChange,
): ZoneTransition {
  return {
    type: 'recurringDay',
    to: { kind: 'Period', id: periodId },
    timeOffsetMinutes: change.timeMinutes,
    month: change.month,
    dayOfWeek: change.dayOfWeek,
    // TimeZoneDefinition writes "last" as -1 (docs/protocol.md 4.2; exchangelib maps it back to 5).
    occurrence: change.dayOrder === LAST_WEEKDAY_ORDER ? -1 : change.dayOrder,
  };
}

/**
 * The t:TimeZoneDefinition GetServerTimeZones returns with full data for a Windows id, with
 * the rules in force in `year` (from the IANA data, as serializableTimeZoneFor):
 * Periods Std and Dlt, one TransitionsGroup "0" holding the two RecurringDayTransitions (or a
 * lone Transition to Std without DST), and Transitions pointing at group "0".
 *
 * Shaped for exchangelib, which calls GetServerTimeZones before GetUserAvailability
 * (docs/protocol.md 7) and turns the answer into its body TimeZone: it finds the standard period by
 * Name "Standard" among the group's targets, takes DaylightTime.Bias as Dlt minus Std, treats a
 * group with one transition as "no DST", and picks the group through the Transitions list.
 * Name is the Windows id: windows-iana has no display names ("(UTC-08:00) Pacific Time ..."),
 * and no client relies on them.
 */
export function timeZoneDefinitionFor(
  windowsId: string,
  year: number,
): TimeZoneDefinition | undefined {
  const id = canonicalWindowsId(windowsId);
  const zone = id === undefined ? undefined : timelineZoneForWindowsId(id);
  if (id === undefined || zone === undefined) return undefined;
  const rules = timeZoneRulesOf(zone, year);
  const standardBias = rules.bias + rules.standardTime.bias;
  const hasDaylightTime = rules.daylightTime.month !== 0;
  const periods = [{ id: 'Std', name: 'Standard', biasMinutes: standardBias }];
  const transitions: ZoneTransition[] = [];
  if (hasDaylightTime) {
    periods.push({
      id: 'Dlt',
      name: 'Daylight',
      biasMinutes: rules.bias + rules.daylightTime.bias,
    });
    transitions.push(recurringDayTransitionTo('Dlt', rules.daylightTime));
    transitions.push(recurringDayTransitionTo('Std', rules.standardTime));
  } else {
    transitions.push({ type: 'plain', to: { kind: 'Period', id: 'Std' } });
  }
  return {
    id,
    name: id,
    periods,
    transitionsGroups: [{ id: '0', transitions }],
    transitions: [{ type: 'plain', to: { kind: 'Group', id: '0' } }],
  };
}
