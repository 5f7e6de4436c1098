import { type BiasChange, type UtcYearTimeline, utcYearStartMs } from './bias-timeline-zone';

const SECOND_MS = 1000;

// Sampling step when looking for a year's offset changes. Since 1970 no IANA zone has had two
// changes less than 7 days apart (closest: Brazil, October 2000), so a 3-day step cannot miss
// a change that is undone before the next sample.
const SCAN_STEP_MS = 3 * 86_400_000;

// `longOffset` gives the offset itself ("GMT-08:00", "GMT-07:52:58", "GMT" for zero), which is
// cheaper to read than formatted wall-clock fields and has no era/two-digit-year pitfalls.
// format() ("1/1/2024, GMT-08:00") measured at a third of formatToParts' cost.
const OFFSET_TEXT = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/**
 * A zone's offsets as the IANA database in Node's ICU has them, read through Intl. Building an
 * Intl.DateTimeFormat is expensive and formatting is not free, so one formatter per zone is kept
 * and callers cache the per-year timelines (BiasTimelineZone).
 */
export class IntlZoneOffsets {
  private constructor(
    /** ICU's canonical spelling (e.g. "America/Los_Angeles" for "america/los_angeles"). */
    readonly ianaName: string,
    private readonly formatter: Intl.DateTimeFormat,
  ) {}

  /** `undefined` when ICU does not know the zone. */
  static forIanaName(name: string): IntlZoneOffsets | undefined {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    } catch {
      return undefined;
    }
    return new IntlZoneOffsets(formatter.resolvedOptions().timeZone, formatter);
  }

  /** EWS-signed bias (UTC = local + bias) in force at an instant, in ms. */
  biasMsAt(utcMs: number): number {
    const text = this.formatter.format(utcMs);
    const match = OFFSET_TEXT.exec(text);
    if (match === null) {
      throw new Error(`Unexpected offset "${text}" from Intl for ${this.ianaName}`);
    }
    const [, sign, hours, minutes, seconds] = match;
    if (sign === undefined) return 0;
    const offsetMs =
      (Number(hours) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0)) * SECOND_MS;
    // An offset east of UTC is a negative bias (and "GMT+00:00" is no reason for a -0).
    return sign === '+' && offsetMs !== 0 ? -offsetMs : offsetMs;
  }

  /** The changes during a UTC year: sampled, then each located to the second by bisection. */
  timelineForUtcYear(utcYear: number): UtcYearTimeline {
    const start = utcYearStartMs(utcYear);
    const end = utcYearStartMs(utcYear + 1);
    const changes: BiasChange[] = [];
    // A change exactly at New Year belongs to this year; the previous year's scan stops short.
    const biasMsAtStart = this.biasMsAt(start - SECOND_MS);
    let biasBefore = this.biasMsAt(start);
    if (biasBefore !== biasMsAtStart) {
      changes.push({ utcMs: start, biasMsBefore: biasMsAtStart, biasMsAfter: biasBefore });
    }
    let before = start;
    while (before < end) {
      const after = Math.min(before + SCAN_STEP_MS, end - SECOND_MS);
      if (after <= before) break;
      const biasAfter = this.biasMsAt(after);
      if (biasAfter !== biasBefore) {
        const utcMs = this.firstInstantWithBias(before, after, biasAfter);
        changes.push({ utcMs, biasMsBefore: biasBefore, biasMsAfter: biasAfter });
      }
      before = after;
      biasBefore = biasAfter;
    }
    return { biasMsAtStart, changes };
  }

  /** The first whole second in (from, to] whose bias is `bias`, given that `to` has it. */
  private firstInstantWithBias(from: number, to: number, bias: number): number {
    let lo = from; // does not have `bias`
    let hi = to; // has it
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
      if (this.biasMsAt(mid) === bias) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
