import { localDateTimeAsUtcMs, utcMsAsLocalDateTime } from './local-date-time';
import type { LocalDateTime, RequesterZone } from './time-zone-types';

/**
 * One change of a zone's bias. Biases here are in milliseconds with the EWS sign
 * (UTC = local + bias, docs/protocol.md 4.2): milliseconds because IANA's historical offsets have
 * seconds, and the EWS sign because two of the three ways a requester describes its zone use it.
 */
export interface BiasChange {
  /** The instant the new bias takes effect. */
  readonly utcMs: number;
  readonly biasMsBefore: number;
  readonly biasMsAfter: number;
}

/** A zone's biases during one UTC calendar year. */
export interface UtcYearTimeline {
  /** In force when the year begins, before any of `changes` (one may be at 00:00 exactly). */
  readonly biasMsAtStart: number;
  /** Changes at or after 1 January 00:00 UTC and before the next year's, in order. */
  readonly changes: readonly BiasChange[];
}

// Every real bias lies within +-26 h, so the instant a wall-clock time denotes is within this
// distance of that wall clock read as UTC.
const SEARCH_MS = 27 * 3_600_000;

// Rendering converts every event of every mailbox, so timelines are built once per year and
// kept; a request with absurd years cannot grow the cache without bound.
const MAX_CACHED_YEARS = 256;

/**
 * A RequesterZone over a timeline of bias changes built lazily per UTC year (from yearly
 * rules, or from the IANA data through Intl), so toUtc/toLocal are a few comparisons.
 *
 * Wall clock -> UTC follows docs/protocol.md 4.2, which is also Temporal's "compatible"
 * disambiguation: a time that does not exist (the spring-forward gap) is read with the bias in
 * force before the change, i.e. the standard bias (02:30 on a US spring-forward day is 10:30Z =
 * 03:30 PDT); a time that exists twice (the fall-back overlap) is the earlier instant, the
 * daylight one (01:30 on a US fall-back day is 08:30Z, not 09:30Z).
 */
export class BiasTimelineZone implements RequesterZone {
  private readonly timelines = new Map<number, UtcYearTimeline>();
  /**
   * The UTC year the last conversion fell in, and its timeline: a response converts every
   * event of every mailbox, nearly all in one or two years, so the year is found with two
   * comparisons instead of a Date and a Map lookup per instant.
   */
  private recentFromMs = Infinity;
  private recentToMs = -Infinity;
  private recentTimeline?: UtcYearTimeline;

  constructor(
    readonly description: string,
    private readonly buildTimeline: (utcYear: number) => UtcYearTimeline,
  ) {}

  /** The zone's changes during a UTC year (cached). */
  timelineForUtcYear(utcYear: number): UtcYearTimeline {
    let timeline = this.timelines.get(utcYear);
    if (timeline === undefined) {
      if (this.timelines.size >= MAX_CACHED_YEARS) this.timelines.clear();
      timeline = this.buildTimeline(utcYear);
      this.timelines.set(utcYear, timeline);
    }
    return timeline;
  }

  /** The bias in force at an instant. */
  biasMsAt(utcMs: number): number {
    let timeline = this.recentTimeline;
    if (timeline === undefined || !(utcMs >= this.recentFromMs && utcMs < this.recentToMs)) {
      const year = utcYearOf(utcMs);
      timeline = this.timelineForUtcYear(year);
      this.recentTimeline = timeline;
      this.recentFromMs = utcYearStartMs(year);
      this.recentToMs = utcYearStartMs(year + 1);
    }
    let bias = timeline.biasMsAtStart;
    for (const change of timeline.changes) {
      if (change.utcMs > utcMs) break;
      bias = change.biasMsAfter;
    }
    return bias;
  }

  toLocal(utcMs: number): LocalDateTime {
    return utcMsAsLocalDateTime(utcMs - this.biasMsAt(utcMs));
  }

  toUtc(local: LocalDateTime): number {
    return this.utcMsForWallMs(localDateTimeAsUtcMs(local));
  }

  /** toUtc on a wall clock already read as UTC (see localDateTimeAsUtcMs). */
  utcMsForWallMs(wallMs: number): number {
    const from = wallMs - SEARCH_MS;
    const initialBias = this.biasMsAt(from);
    const changes = this.changesBetween(from, wallMs + SEARCH_MS);
    if (changes.length === 0) return wallMs + initialBias;

    // The instant is wallMs + b for a bias b in force at that very instant. Walk the segments
    // of constant bias around wallMs and keep the earliest instant that fits (overlap rule).
    let earliest: number | undefined;
    let segmentStart = -Infinity;
    let segmentBias = initialBias;
    for (let i = 0; i <= changes.length; i++) {
      const segmentEnd = i < changes.length ? changes[i].utcMs : Infinity;
      const candidate = wallMs + segmentBias;
      if (candidate >= segmentStart && candidate < segmentEnd) {
        earliest = earliest === undefined ? candidate : Math.min(earliest, candidate);
      }
      if (i < changes.length) {
        segmentStart = segmentEnd;
        segmentBias = changes[i].biasMsAfter;
      }
    }
    if (earliest !== undefined) return earliest;

    // No instant shows this wall clock: it lies in a gap. Read it with the bias before the jump.
    for (const change of changes) {
      const gapStart = change.utcMs - change.biasMsBefore;
      const gapEnd = change.utcMs - change.biasMsAfter;
      if (wallMs >= gapStart && wallMs < gapEnd) return wallMs + change.biasMsBefore;
    }
    return wallMs + initialBias;
  }

  private changesBetween(fromUtcMs: number, toUtcMs: number): BiasChange[] {
    const found: BiasChange[] = [];
    for (let year = utcYearOf(fromUtcMs); year <= utcYearOf(toUtcMs); year++) {
      for (const change of this.timelineForUtcYear(year).changes) {
        if (change.utcMs > fromUtcMs && change.utcMs <= toUtcMs) found.push(change);
      }
    }
    return found;
  }
}

function utcYearOf(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  if (Number.isNaN(year)) throw new RangeError(`${utcMs} is not a representable instant`);
  return year;
}

/** 1 January 00:00 UTC of `year`, in epoch ms. */
export function utcYearStartMs(year: number): number {
  return localDateTimeAsUtcMs({
    year,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  });
}

/** A timeline with no changes: a zone that keeps one bias forever. */
export function fixedTimeline(biasMs: number): UtcYearTimeline {
  return { biasMsAtStart: biasMs, changes: [] };
}
