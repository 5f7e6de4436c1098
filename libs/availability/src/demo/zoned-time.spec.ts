import { dayNumberOf, localToUtcMs, utcOffsetMinutes, weekdayOf } from './zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time', () => {
  it('numbers days and weekdays like the calendar', () => {
    expect(dayNumberOf(1970, 1, 1)).toBe(0);
    expect(weekdayOf(dayNumberOf(2024, 3, 11))).toBe(1); // a Monday
    expect(weekdayOf(dayNumberOf(1969, 12, 28))).toBe(0); // a Sunday before the epoch
  });

  it('reads offsets from the zone rules, DST included', () => {
    expect(utcOffsetMinutes('America/Los_Angeles', Date.UTC(2024, 0, 15))).toBe(-480);
    expect(utcOffsetMinutes('America/Los_Angeles', Date.UTC(2024, 6, 15))).toBe(-420);
    expect(utcOffsetMinutes('Asia/Kolkata', Date.UTC(2024, 6, 15))).toBe(330);
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
