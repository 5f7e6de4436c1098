import fc from 'fast-check';
import type { BusyStatus, CalendarEvent } from '@app/availability';
import { eventsMissingFromView } from './availability-view';

const H = 3_600_000;
const start = Date.UTC(2024, 2, 11, 0);
const grid = { startMs: start, intervalMinutes: 60 };
const day = { startMs: start, endMs: start + 24 * H };
const event = (fromHour: number, toHour: number, status: BusyStatus): CalendarEvent => ({
  startMs: start + fromHour * H,
  endMs: start + toHour * H,
  status,
});

describe('eventsMissingFromView', () => {
  it('adds nothing when the items explain every busy slot', () => {
    const view = '000000000222000000000000';
    expect(eventsMissingFromView([event(9, 12, 'Busy')], view, grid, day)).toEqual([]);
    // An item that only touches part of a slot explains it.
    expect(
      eventsMissingFromView(
        [{ startMs: start + 9 * H, endMs: start + 9 * H + 600_000, status: 'Busy' }],
        '000000000200000000000000',
        grid,
        day,
      ),
    ).toEqual([]);
  });

  it('makes events of a list answered with a view and no items, one per run of a status', () => {
    expect(eventsMissingFromView([], '000000000221110000330000', grid, day)).toEqual([
      event(9, 11, 'Busy'),
      event(11, 14, 'Tentative'),
      event(18, 20, 'OOF'),
    ]);
  });

  it('fills what a cut-off answer lost, keeping what its items said', () => {
    const missing = eventsMissingFromView(
      [event(9, 10, 'Busy')],
      '000000000222000000000000',
      grid,
      day,
    );
    expect(missing).toEqual([event(10, 12, 'Busy')]);
  });

  it('reads a slot the items call tentative but the view busy as busy', () => {
    expect(
      eventsMissingFromView([event(9, 10, 'Tentative')], '000000000200000000000000', grid, day),
    ).toEqual([event(9, 10, 'Busy')]);
  });

  it('never makes up free time, and ignores working elsewhere (0, or 4 in older answers)', () => {
    expect(eventsMissingFromView([], '0'.repeat(24), grid, day)).toEqual([]);
    expect(eventsMissingFromView([], '444444444444000000000000', grid, day)).toEqual([]);
  });

  it('checks nothing when there is no view to check against', () => {
    expect(eventsMissingFromView([], undefined, grid, day)).toEqual([]);
    expect(eventsMissingFromView([], '', grid, day)).toEqual([]);
    expect(eventsMissingFromView([], 42, grid, day)).toEqual([]);
  });

  it('leaves out slots outside the lookup window (a piece of a longer view)', () => {
    const morning = { startMs: start, endMs: start + 10 * H };
    expect(eventsMissingFromView([], '000000000222000000000000', grid, morning)).toEqual([
      event(9, 10, 'Busy'),
    ]);
  });

  it('leaves every busy slot of the view explained, whatever items it is given', () => {
    const digit = fc.constantFrom('0', '1', '2', '3');
    fc.assert(
      fc.property(
        fc.array(digit, { minLength: 24, maxLength: 24 }).map((d) => d.join('')),
        fc.array(
          fc.record({
            from: fc.integer({ min: 0, max: 23 }),
            hours: fc.integer({ min: 1, max: 4 }),
            status: fc.constantFrom<BusyStatus>('Busy', 'Tentative', 'OOF', 'Free'),
          }),
          { maxLength: 6 },
        ),
        (view, specs) => {
          const items = specs.map((s) => event(s.from, s.from + s.hours, s.status));
          const all = [...items, ...eventsMissingFromView(items, view, grid, day)];
          const rank: Record<BusyStatus, number> = {
            Free: 0,
            WorkingElsewhere: 0,
            NoData: 0,
            Tentative: 1,
            Busy: 2,
            OOF: 3,
          };
          for (let slot = 0; slot < 24; slot++) {
            const slotStart = start + slot * H;
            const covered = Math.max(
              0,
              ...all
                .filter((e) => e.startMs < slotStart + H && e.endMs > slotStart)
                .map((e) => rank[e.status]),
            );
            expect(covered).toBeGreaterThanOrEqual(Number(view[slot]));
          }
        },
      ),
    );
  });
});
