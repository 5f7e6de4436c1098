import { compactDate, dayNumberOf, localToUtcMs, weekdayOf } from './zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time', () => {
  it('numbers days and weekdays like the calendar', () => {
    expect(dayNumberOf(1970, 1, 1)).toBe(0);
    expect(weekdayOf(dayNumberOf(2024, 3, 11))).toBe(1); // a Monday
    expect(weekdayOf(dayNumberOf(1969, 12, 28))).toBe(0); // a Sunday before the epoch
  });

  it('writes dates compactly for event ids', () => {
    expect(compactDate(dayNumberOf(2024, 3, 11))).toBe('20240311');
  });

  it('places local times with the zone rules, DST included', () => {
    const at = (zone: string, year: number, month: number, day: number, minutes: number) =>
      iso(localToUtcMs(zone, dayNumberOf(year, month, day), minutes));
    expect(at('America/Los_Angeles', 2024, 1, 15, 9 * 60)).toBe('2024-01-15T17:00:00.000Z');
    expect(at('America/Los_Angeles', 2024, 7, 15, 9 * 60)).toBe('2024-07-15T16:00:00.000Z');
    expect(at('Asia/Kolkata', 2024, 7, 15, 9 * 60)).toBe('2024-07-15T03:30:00.000Z');
  });

  it('places local times on either side of a DST change', () => {
    const march10 = dayNumberOf(2024, 3, 10); // US spring forward at 02:00
    expect(iso(localToUtcMs('America/Los_Angeles', march10, 0))).toBe('2024-03-10T08:00:00.000Z');
    expect(iso(localToUtcMs('America/Los_Angeles', march10, 9 * 60))).toBe(
      '2024-03-10T16:00:00.000Z',
    );
    expect(iso(localToUtcMs('America/Los_Angeles', march10 + 1, 0))).toBe(
      '2024-03-11T07:00:00.000Z',
    );
  });

  it('moves a skipped local time forward and takes the first of a repeated one', () => {
    const march10 = dayNumberOf(2024, 3, 10);
    expect(iso(localToUtcMs('America/Los_Angeles', march10, 150))).toBe('2024-03-10T10:30:00.000Z'); // 03:30 PDT
    const november3 = dayNumberOf(2024, 11, 3); // 01:30 happens twice
    expect(iso(localToUtcMs('America/Los_Angeles', november3, 90))).toBe(
      '2024-11-03T08:30:00.000Z',
    ); // PDT
  });

  it('handles southern-hemisphere DST (Sydney, first Sunday of October)', () => {
    expect(iso(localToUtcMs('Australia/Sydney', dayNumberOf(2024, 10, 5), 9 * 60))).toBe(
      '2024-10-04T23:00:00.000Z',
    );
    expect(iso(localToUtcMs('Australia/Sydney', dayNumberOf(2024, 10, 7), 9 * 60))).toBe(
      '2024-10-06T22:00:00.000Z',
    );
  });
});
