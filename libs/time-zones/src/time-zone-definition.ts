import {
  type AnnualBiasRule,
  fixedAnnualRule,
  type RecurringBiasChange,
  timelineFromAnnualRules,
} from './annual-bias-rules';
import { BiasTimelineZone } from './bias-timeline-zone';
import { dateAsUtcMs, daysInMonth, MINUTE_MS } from './local-date-time';
import type {
  RequesterZone,
  TimeZoneDefinition,
  TimeZonePeriod,
  TransitionsGroup,
  ZoneTransition,
  ZoneTransitionTarget,
} from './time-zone-types';
import { nthWeekdayOfMonth } from './weekday-of-month';

type RecurringTransition = Extract<ZoneTransition, { type: 'recurringDay' | 'recurringDate' }>;
type YearlyTransition = RecurringTransition | Extract<ZoneTransition, { type: 'plain' }>;

/** From this wall-clock year on, `rule` applies. */
interface RuleEra {
  readonly fromYear: number;
  readonly rule: AnnualBiasRule;
}

/**
 * The requester zone of a full t:TimeZoneDefinition (SOAP header TimeZoneContext, as the .NET
 * EWS Managed API sends it; docs/protocol.md 4.1): Periods with their biases, TransitionsGroups of
 * yearly transitions between periods, and Transitions choosing the group: first a plain
 * Transition, then AbsoluteDateTransitions switching to other groups.
 *
 * - RecurringDayTransition: the Occurrence-th DayOfWeek of Month (-1 = last), TimeOffset is
 *   the local time of day; RecurringDateTransition: Day of Month at TimeOffset.
 * - Each transition is read on the clock of the period in force before it, so a group's
 *   "standard" period needs no guessing from names or bias sizes: for a two-transition group it
 *   is whichever the other transition leads to, which gives exactly the SerializableTimeZone
 *   semantics (DST start on the standard clock, DST end on the daylight clock; gap read with
 *   the standard bias, overlap = the earlier instant).
 * - Group switches take effect from the wall-clock year of their AbsoluteDateTransition (as
 *   exchangelib reads them: Exchange writes them on 1 January, one group per rule era of
 *   Windows' dynamic DST data); a bias change between eras happens at New Year.
 *
 * Returns `undefined` when the definition cannot be used (no periods, a transition to an
 * unknown period or group, a group without usable transitions), so the caller can fall back to
 * the definition's Id.
 */
export function zoneFromTimeZoneDefinition(def: TimeZoneDefinition): RequesterZone | undefined {
  const periods = new Map((def.periods ?? []).map((period) => [period.id, period]));
  if (periods.size === 0) return undefined;
  const groups = new Map((def.transitionsGroups ?? []).map((group) => [group.id, group]));

  const eras = ruleEras(def, periods, groups);
  if (eras === undefined) return undefined;
  return new BiasTimelineZone(
    `TimeZoneDefinition(${def.id ?? def.name ?? 'unnamed'})`,
    timelineFromAnnualRules((year) => ruleForYear(eras, year)),
  );
}

function ruleForYear(eras: readonly RuleEra[], year: number): AnnualBiasRule {
  let rule = eras[0].rule;
  for (const era of eras) {
    if (era.fromYear > year) break;
    rule = era.rule;
  }
  return rule;
}

function ruleEras(
  def: TimeZoneDefinition,
  periods: ReadonlyMap<string, TimeZonePeriod>,
  groups: ReadonlyMap<string, TransitionsGroup>,
): RuleEra[] | undefined {
  const ruleFor = (target: ZoneTransitionTarget): AnnualBiasRule | undefined => {
    if (target.kind === 'Period') {
      const period = periods.get(target.id);
      return period === undefined ? undefined : fixedAnnualRule(period.biasMinutes * MINUTE_MS);
    }
    const group = groups.get(target.id);
    return group === undefined ? undefined : ruleOfGroup(group, periods);
  };

  const transitions = def.transitions ?? [];
  const initial = transitions.find((t) => t.type === 'plain')?.to ?? soleTarget(def);
  if (initial === undefined) return undefined;
  const initialRule = ruleFor(initial);
  if (initialRule === undefined) return undefined;

  const eras: RuleEra[] = [{ fromYear: -Infinity, rule: initialRule }];
  const switches = transitions
    .filter((t) => t.type === 'absolute')
    .sort((a, b) => a.dateTime.year - b.dateTime.year);
  for (const change of switches) {
    const rule = ruleFor(change.to);
    if (rule === undefined) return undefined;
    eras.push({ fromYear: change.dateTime.year, rule });
  }
  return eras;
}

/** Without a Transitions list, a definition with a single group (or a single period) is clear. */
function soleTarget(def: TimeZoneDefinition): ZoneTransitionTarget | undefined {
  const groups = def.transitionsGroups ?? [];
  if (groups.length === 1) return { kind: 'Group', id: groups[0].id };
  const periods = def.periods ?? [];
  if (groups.length === 0 && periods.length === 1) return { kind: 'Period', id: periods[0].id };
  return undefined;
}

/**
 * A group's yearly rule. A group holding only a plain Transition is a zone without DST (how
 * Exchange writes e.g. India). AbsoluteDateTransitions inside a group are not yearly and are
 * ignored; a group with nothing else is unusable.
 */
function ruleOfGroup(
  group: TransitionsGroup,
  periods: ReadonlyMap<string, TimeZonePeriod>,
): AnnualBiasRule | undefined {
  const recurring = group.transitions.filter(
    (t): t is RecurringTransition => t.type === 'recurringDay' || t.type === 'recurringDate',
  );
  const plain = group.transitions.find((t) => t.type === 'plain');
  const chosen: readonly YearlyTransition[] =
    recurring.length > 0 ? recurring : plain === undefined ? [] : [plain];
  if (chosen.length === 0) return undefined;

  const rule: RecurringBiasChange[] = [];
  for (const transition of chosen) {
    if (transition.to.kind !== 'Period') return undefined;
    if (transition.type !== 'plain' && !isMonth(transition.month)) return undefined;
    const period = periods.get(transition.to.id);
    if (period === undefined) return undefined;
    const biasMsAfter = period.biasMinutes * MINUTE_MS;
    rule.push({ wallMsInYear: (year) => transitionWallMs(transition, year), biasMsAfter });
  }
  return rule;
}

function isMonth(month: number): boolean {
  return Number.isInteger(month) && month >= 1 && month <= 12;
}

function transitionWallMs(transition: YearlyTransition, year: number): number {
  switch (transition.type) {
    case 'recurringDay': {
      const day = nthWeekdayOfMonth(
        year,
        transition.month,
        transition.dayOfWeek,
        transition.occurrence,
      );
      return (
        dateAsUtcMs(year, transition.month, day) +
        Math.round(transition.timeOffsetMinutes * MINUTE_MS)
      );
    }
    case 'recurringDate': {
      const day = Math.min(Math.max(1, transition.day), daysInMonth(year, transition.month));
      return (
        dateAsUtcMs(year, transition.month, day) +
        Math.round(transition.timeOffsetMinutes * MINUTE_MS)
      );
    }
    case 'plain':
      // Only reached for a group's lone plain Transition: a fixed bias, whenever it "happens".
      return dateAsUtcMs(year, 1, 1);
  }
}
