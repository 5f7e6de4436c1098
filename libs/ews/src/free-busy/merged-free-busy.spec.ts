import type { BusyStatus, CalendarEvent } from '@app/availability';
import { computeMergedFreeBusy } from './merged-free-busy';

const at = (iso: string) => Date.parse(iso);
const event = (start: string, end: string, status: BusyStatus): CalendarEvent => ({
  startMs: at(start),
  endMs: at(end),
  status,
});

describe('computeMergedFreeBusy', () => {
  const day = { startMs: at('2024-03-11T08:00:00Z'), endMs: at('2024-03-11T12:00:00Z') };

  it('marks every slot an event overlaps, even partially, with its digit', () => {
    const merged = computeMergedFreeBusy(
      [
        event('2024-03-11T08:30:00Z', '2024-03-11T09:00:00Z', 'Busy'),
        event('2024-03-11T09:15:00Z', '2024-03-11T09:45:00Z', 'Tentative'),
        event('2024-03-11T11:00:00Z', '2024-03-11T13:00:00Z', 'OOF'),
      ],
      day,
      30,
    );
    expect(merged).toBe('02110033');
  });

  it('shows the highest status where events overlap', () => {
    const merged = computeMergedFreeBusy(
      [
        event('2024-03-11T08:00:00Z', '2024-03-11T12:00:00Z', 'Tentative'),
        event('2024-03-11T09:00:00Z', '2024-03-11T10:00:00Z', 'Busy'),
        event('2024-03-11T09:30:00Z', '2024-03-11T10:00:00Z', 'OOF'),
      ],
      day,
      60,
    );
    expect(merged).toBe('1311');
  });

  it('counts working elsewhere, free and no-data time as free and never emits 4', () => {
    const merged = computeMergedFreeBusy(
      [
        event('2024-03-11T08:00:00Z', '2024-03-11T09:00:00Z', 'WorkingElsewhere'),
        event('2024-03-11T09:00:00Z', '2024-03-11T10:00:00Z', 'Free'),
        event('2024-03-11T10:00:00Z', '2024-03-11T11:00:00Z', 'NoData'),
      ],
      day,
      60,
    );
    expect(merged).toBe('0000');
  });

  it('uses absolute slots: a 23-hour DST day has 23 hourly digits, a 25-hour day 25', () => {
    const spring = { startMs: at('2024-03-10T08:00:00Z'), endMs: at('2024-03-11T07:00:00Z') };
    const fall = { startMs: at('2024-11-03T07:00:00Z'), endMs: at('2024-11-04T08:00:00Z') };
    expect(computeMergedFreeBusy([], spring, 60)).toHaveLength(23);
    expect(computeMergedFreeBusy([], fall, 60)).toHaveLength(25);
    expect(computeMergedFreeBusy([], spring, 30)).toHaveLength(46);
  });

  it('ends with a partial slot when the window is not a multiple of the interval', () => {
    const window = { startMs: at('2024-03-11T08:00:00Z'), endMs: at('2024-03-11T09:10:00Z') };
    const merged = computeMergedFreeBusy(
      [event('2024-03-11T09:05:00Z', '2024-03-11T09:30:00Z', 'Busy')],
      window,
      30,
    );
    expect(merged).toBe('002');
  });

  it('ignores events outside the window and does not mark the slot an event ends at', () => {
    const merged = computeMergedFreeBusy(
      [
        event('2024-03-11T06:00:00Z', '2024-03-11T08:00:00Z', 'Busy'),
        event('2024-03-11T12:00:00Z', '2024-03-11T13:00:00Z', 'Busy'),
        event('2024-03-11T07:00:00Z', '2024-03-11T08:30:00Z', 'OOF'),
      ],
      day,
      30,
    );
    expect(merged).toBe('30000000');
  });
});
