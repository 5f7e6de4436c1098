import type { CalendarEvent, MailboxAvailability, UtcWindow } from '@app/availability';

/**
 * The windows getSchedule is asked for. Graph's format has whole seconds, so the lookup's window
 * goes out widened to them (no event at its edges is missed; the mapper drops what lies outside),
 * and Graph takes at most 62 days ("The allowed limit = 62 days; the actual limit = 63 days.",
 * ErrorTimeIntervalTooBig, microsoft-graph-docs PR #19703; it counts a part of a day as a day).
 * EWS allows 62 days too, so a 62-day window with fractions of a second would reach Graph as
 * 62 days and a second, and be refused: such a window is asked in two pieces instead.
 */

export const DAY_MS = 86_400_000;
export const GRAPH_MAX_WINDOW_MS = 62 * DAY_MS;

/** The window as sent to Graph: widened to whole seconds. */
export function graphWindowOf(window: UtcWindow): UtcWindow {
  return {
    startMs: Math.floor(window.startMs / 1000) * 1000,
    endMs: Math.ceil(window.endMs / 1000) * 1000,
  };
}

/**
 * The pieces `window` must be asked in: itself, unless its Graph window would be longer than
 * Graph takes; then halves (each split on a slot boundary, so availabilityView slots line up).
 */
export function piecesForGraph(window: UtcWindow, intervalMinutes: number): UtcWindow[] {
  const sent = graphWindowOf(window);
  if (sent.endMs - sent.startMs <= GRAPH_MAX_WINDOW_MS) return [window];
  const halves = halvesOf(window, intervalMinutes);
  if (halves === undefined) return [window];
  return halves.flatMap((half) => piecesForGraph(half, intervalMinutes));
}

/**
 * Two halves of `window`, split on a boundary of `intervalMinutes` slots counted from its start
 * (each half's availabilityView then lines up with the whole's), or undefined when the window
 * is no longer than two slots.
 */
export function halvesOf(
  window: UtcWindow,
  intervalMinutes: number,
): [UtcWindow, UtcWindow] | undefined {
  const slotMs = intervalMinutes * 60_000;
  const slots = Math.ceil((window.endMs - window.startMs) / slotMs);
  if (slots < 2) return undefined;
  const middleMs = window.startMs + Math.floor(slots / 2) * slotMs;
  return [
    { startMs: window.startMs, endMs: middleMs },
    { startMs: middleMs, endMs: window.endMs },
  ];
}

/**
 * One mailbox's answer for consecutive pieces of a window, as one answer. A failed piece fails
 * the mailbox (half a calendar would show the other half free). An event that crosses a border
 * between pieces is in both pieces' answers (events overlapping a window come back whole): the
 * later piece's copy is dropped.
 */
export function joinPieces(
  pieces: readonly UtcWindow[],
  results: readonly MailboxAvailability[],
): MailboxAvailability {
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed !== undefined) return failed;
  const first = results[0];
  if (first === undefined || first.outcome !== 'ok') {
    throw new RangeError('joinPieces needs one result per piece');
  }
  const events: CalendarEvent[] = [...first.events];
  for (let i = 1; i < results.length; i++) {
    const result = results[i];
    if (result.outcome !== 'ok') continue;
    const borderMs = pieces[i].startMs;
    // The previous pieces' events that reach past the border, by identity, as a multiset.
    const crossing = new Map<string, number>();
    for (const e of events) {
      if (e.endMs > borderMs) crossing.set(eventKey(e), (crossing.get(eventKey(e)) ?? 0) + 1);
    }
    for (const e of result.events) {
      const key = eventKey(e);
      const left = crossing.get(key) ?? 0;
      if (e.startMs < borderMs && left > 0) {
        crossing.set(key, left - 1);
        continue;
      }
      events.push(e);
    }
  }
  events.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return { ...first, events };
}

function eventKey(e: CalendarEvent): string {
  const d = e.details;
  return d === undefined
    ? `${e.startMs}|${e.endMs}|${e.status}`
    : `${e.startMs}|${e.endMs}|${e.status}|${d.subject ?? ''}|${d.location ?? ''}|${d.isPrivate}|${d.isMeeting}|${d.isRecurring}`;
}
