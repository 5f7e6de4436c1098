import { type BiasChange, type UtcYearTimeline, utcYearStartMs } from './bias-timeline-zone';
import { dateAsUtcMs } from './local-date-time';

/**
 * A bias change that recurs every year on a wall-clock date: a SerializableTimeZone
 * StandardTime/DaylightTime rule or a TransitionsGroup entry.
 */
export interface RecurringBiasChange {
  /**
   * When it happens in `year`, as a wall clock read as UTC (see localDateTimeAsUtcMs). The wall
   * clock is the one in force before the change: docs/protocol.md 4.2, DaylightTime is read on the
   * standard clock and StandardTime on the daylight clock.
   */
  wallMsInYear(year: number): number;
  readonly biasMsAfter: number;
}

/**
 * The yearly rule of a zone: its recurring changes (at least one). A single change, or changes
 * that all lead to the same bias, describe a zone without DST.
 */
export type AnnualBiasRule = readonly RecurringBiasChange[];

/** A rule with one bias all year. */
export function fixedAnnualRule(biasMs: number): AnnualBiasRule {
  return [{ wallMsInYear: (year) => dateAsUtcMs(year, 1, 1), biasMsAfter: biasMs }];
}

interface WallYearChanges {
  /** In force when the wall-clock year begins under this rule. */
  readonly biasMsAtStart: number;
  readonly changes: readonly BiasChange[];
}

/**
 * Dates a rule's changes in one wall-clock year. Because the rule repeats every year, the bias
 * at New Year is the one its last change of the year leads to; each change is then read on the
 * clock of the change before it. That is what makes southern-hemisphere rules (leave DST in
 * April, enter it in October) work without special cases, and what makes the "which period is
 * standard" question moot for a TransitionsGroup: the clock a transition is read on is simply
 * the period in force before it.
 */
function changesInWallYear(rule: AnnualBiasRule, year: number): WallYearChanges {
  const dated = rule
    .map((change) => ({ wallMs: change.wallMsInYear(year), biasMsAfter: change.biasMsAfter }))
    .sort((a, b) => a.wallMs - b.wallMs);
  const biasMsAtStart = dated[dated.length - 1].biasMsAfter;
  const changes: BiasChange[] = [];
  let bias = biasMsAtStart;
  for (const { wallMs, biasMsAfter } of dated) {
    if (biasMsAfter === bias) continue;
    changes.push({ utcMs: wallMs + bias, biasMsBefore: bias, biasMsAfter });
    bias = biasMsAfter;
  }
  return { biasMsAtStart, changes };
}

/**
 * Builds the UTC-year timelines of a zone given the rule in force for each wall-clock year
 * (TimeZoneDefinitions switch TransitionsGroups by year). Changes near New Year can fall in the
 * neighbouring UTC year, so the wall-clock years around it are dated too. When the rule of one
 * year starts with another bias than the previous year ended with, the switch happens at
 * wall-clock New Year.
 */
export function timelineFromAnnualRules(
  ruleForWallYear: (year: number) => AnnualBiasRule,
): (utcYear: number) => UtcYearTimeline {
  return (utcYear) => {
    const wallYears = [utcYear - 1, utcYear, utcYear + 1].map((year) => ({
      year,
      ...changesInWallYear(ruleForWallYear(year), year),
    }));
    const all: BiasChange[] = [];
    let bias = wallYears[0].biasMsAtStart;
    for (const wallYear of wallYears) {
      if (wallYear.biasMsAtStart !== bias) {
        all.push({
          utcMs: dateAsUtcMs(wallYear.year, 1, 1) + bias,
          biasMsBefore: bias,
          biasMsAfter: wallYear.biasMsAtStart,
        });
      }
      all.push(...wallYear.changes);
      // A yearly rule ends the year with the bias it started with (see changesInWallYear).
      bias = wallYear.biasMsAtStart;
    }
    const start = utcYearStartMs(utcYear);
    const end = utcYearStartMs(utcYear + 1);
    let biasMsAtStart = wallYears[0].biasMsAtStart;
    const changes: BiasChange[] = [];
    for (const change of all) {
      if (change.utcMs < start) biasMsAtStart = change.biasMsAfter;
      else if (change.utcMs < end) changes.push(change);
    }
    return { biasMsAtStart, changes };
  };
}
