import type { MailboxAvailability } from '@app/availability';
import {
  DAY_MS,
  GRAPH_MAX_WINDOW_MS,
  graphWindowOf,
  halvesOf,
  joinPieces,
  piecesForGraph,
} from './schedule-window';

const start = Date.UTC(2024, 2, 1);

describe('graphWindowOf', () => {
  it('widens the window to whole seconds', () => {
    expect(graphWindowOf({ startMs: start + 1_500, endMs: start + 9_200 })).toEqual({
      startMs: start + 1_000,
      endMs: start + 10_000,
    });
  });
});

describe('piecesForGraph', () => {
  it('asks a window of up to 62 days in one piece', () => {
    const window = { startMs: start, endMs: start + 62 * DAY_MS };
    expect(piecesForGraph(window, 30)).toEqual([window]);
  });

  it('splits a 62-day window that whole seconds would make longer, on a slot boundary', () => {
    const window = { startMs: start + 500, endMs: start + 62 * DAY_MS + 500 };
    const pieces = piecesForGraph(window, 30);
    expect(pieces).toHaveLength(2);
    expect(pieces[0].startMs).toBe(window.startMs);
    expect(pieces[1].endMs).toBe(window.endMs);
    expect(pieces[0].endMs).toBe(pieces[1].startMs);
    expect((pieces[0].endMs - window.startMs) % (30 * 60_000)).toBe(0);
    for (const piece of pieces) {
      const sent = graphWindowOf(piece);
      expect(sent.endMs - sent.startMs).toBeLessThanOrEqual(GRAPH_MAX_WINDOW_MS);
    }
  });
});

describe('halvesOf', () => {
  it('splits on a slot boundary from the start, so each half keeps the view aligned', () => {
    expect(halvesOf({ startMs: 0, endMs: 5 * 3_600_000 }, 60)).toEqual([
      { startMs: 0, endMs: 2 * 3_600_000 },
      { startMs: 2 * 3_600_000, endMs: 5 * 3_600_000 },
    ]);
  });

  it('does not split a window of one slot', () => {
    expect(halvesOf({ startMs: 0, endMs: 3_600_000 }, 60)).toBeUndefined();
  });
});

describe('joinPieces', () => {
  const pieces = [
    { startMs: 0, endMs: 100 },
    { startMs: 100, endMs: 200 },
  ];
  const ok = (events: Array<[number, number]>): MailboxAvailability => ({
    address: 'a@x.com',
    outcome: 'ok',
    events: events.map(([s, e]) => ({ startMs: s, endMs: e, status: 'Busy' })),
  });

  it('keeps one copy of an event that crosses the border', () => {
    const joined = joinPieces(pieces, [
      ok([
        [10, 20],
        [90, 110],
      ]),
      ok([
        [90, 110],
        [150, 160],
      ]),
    ]);
    expect(joined.outcome === 'ok' && joined.events.map((e) => [e.startMs, e.endMs])).toEqual([
      [10, 20],
      [90, 110],
      [150, 160],
    ]);
  });

  it('keeps two identical events inside one piece (two meetings at once)', () => {
    const joined = joinPieces(pieces, [
      ok([
        [10, 20],
        [10, 20],
      ]),
      ok([]),
    ]);
    expect(joined.outcome === 'ok' && joined.events).toHaveLength(2);
  });

  it('keeps a second crossing copy when both pieces have two (the multiset, not the set)', () => {
    const joined = joinPieces(pieces, [
      ok([[90, 110]]),
      ok([
        [90, 110],
        [95, 105],
      ]),
    ]);
    expect(joined.outcome === 'ok' && joined.events.map((e) => [e.startMs, e.endMs])).toEqual([
      [90, 110],
      [95, 105],
    ]);
  });

  it('fails the mailbox when any piece failed: half a calendar would show the rest free', () => {
    const failed: MailboxAvailability = {
      address: 'a@x.com',
      outcome: 'failed',
      reason: 'timeout',
      detail: 'late',
    };
    expect(joinPieces(pieces, [ok([[10, 20]]), failed])).toBe(failed);
  });
});
