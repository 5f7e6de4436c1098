import type { BusyStatus, CalendarEvent, UtcWindow } from '@app/availability';

/**
 * getSchedule's `availabilityView`: one character per slot of `availabilityViewInterval` minutes
 * from the request's startTime, "0 = free or working elsewhere, 1 = tentative, 2 = busy,
 * 3 = out of office" (microsoft-graph-docs-contrib concepts/outlook-get-free-busy-schedule.md;
 * working elsewhere is written 0 "for backward compatibility", microsoft-graph-docs PRs #9360
 * and #9369, where older pages wrote 4).
 *
 * The view and the items can disagree, and the items are then the ones missing:
 * - a distribution list is answered with a view and no items at all (getSchedule accepts lists:
 *   "users, distribution lists, or resources", same page);
 * - a calendar with very many items in the window comes back with the items cut off (a docs
 *   change "added [a note] for calendar datasets returning more than 1000 entries",
 *   microsoftgraph/microsoft-graph-docs PR #21589), while its view stays whole.
 * Reading such an answer from its items alone shows busy time as free. So every schedule is
 * checked against its view: a busy, tentative or away slot that no item explains becomes an
 * event of the slot's status (no details: the view has none). Free time is never made up.
 */

const DIGIT_STATUS: Readonly<Record<string, BusyStatus>> = {
  '1': 'Tentative',
  '2': 'Busy',
  '3': 'OOF',
};

/** How much of a slot a status covers, as the view's digits rank them. */
const RANK: Readonly<Record<BusyStatus, number>> = {
  Free: 0,
  WorkingElsewhere: 0,
  NoData: 0,
  Tentative: 1,
  Busy: 2,
  OOF: 3,
};

export interface ViewGrid {
  /** The startTime sent to Graph: slot 0 begins here. */
  readonly startMs: number;
  readonly intervalMinutes: number;
}

/**
 * The events needed, besides `events`, for the schedule to say at least what its view says,
 * within `window`. Empty when the items explain every slot (the usual case), or when the view
 * is missing or not a string (nothing to check against).
 */
export function eventsMissingFromView(
  events: readonly CalendarEvent[],
  view: unknown,
  grid: ViewGrid,
  window: UtcWindow,
): CalendarEvent[] {
  if (typeof view !== 'string' || view.length === 0) return [];
  const slotMs = grid.intervalMinutes * 60_000;
  // The highest rank any item reaches in each slot.
  const covered = new Uint8Array(view.length);
  for (const event of events) {
    const rank = RANK[event.status];
    if (rank === 0) continue;
    const first = Math.max(0, Math.floor((event.startMs - grid.startMs) / slotMs));
    const last = Math.min(view.length, Math.ceil((event.endMs - grid.startMs) / slotMs));
    for (let slot = first; slot < last; slot++) {
      if (covered[slot] < rank) covered[slot] = rank;
    }
  }
  const missing: CalendarEvent[] = [];
  let run: { status: BusyStatus; startMs: number; endMs: number } | undefined;
  for (let slot = 0; slot < view.length; slot++) {
    const status = DIGIT_STATUS[view[slot]];
    const slotStartMs = grid.startMs + slot * slotMs;
    const slotEndMs = slotStartMs + slotMs;
    const unexplained =
      status !== undefined &&
      covered[slot] < RANK[status] &&
      slotStartMs < window.endMs &&
      slotEndMs > window.startMs;
    if (unexplained && run !== undefined && run.status === status && run.endMs === slotStartMs) {
      run.endMs = slotEndMs;
      continue;
    }
    if (run !== undefined) missing.push(run);
    run = unexplained ? { status, startMs: slotStartMs, endMs: slotEndMs } : undefined;
  }
  if (run !== undefined) missing.push(run);
  return missing;
}
