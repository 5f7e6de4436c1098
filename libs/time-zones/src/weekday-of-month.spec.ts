import { dayOfWeekOf, nthWeekdayOfMonth, weekdayOrderOf } from './weekday-of-month';

describe('nthWeekdayOfMonth', () => {
  it('finds the US and EU DST Sundays of 2024', () => {
    expect(nthWeekdayOfMonth(2024, 3, 'Sunday', 2)).toBe(10);
    expect(nthWeekdayOfMonth(2024, 11, 'Sunday', 1)).toBe(3);
    expect(nthWeekdayOfMonth(2024, 3, 'Sunday', 5)).toBe(31);
    expect(nthWeekdayOfMonth(2024, 10, 'Sunday', 5)).toBe(27);
  });

  it('treats Occurrence -1 like DayOrder 5 (last)', () => {
    expect(nthWeekdayOfMonth(2024, 10, 'Sunday', -1)).toBe(27);
    // February 2024 has five Thursdays; February 2023 four.
    expect(nthWeekdayOfMonth(2024, 2, 'Thursday', -1)).toBe(29);
    expect(nthWeekdayOfMonth(2023, 2, 'Thursday', 5)).toBe(23);
  });

  it('clamps orders outside 1..5 instead of producing a date in another month', () => {
    expect(nthWeekdayOfMonth(2024, 3, 'Sunday', 0)).toBe(3);
    expect(nthWeekdayOfMonth(2024, 3, 'Sunday', 9)).toBe(31);
  });
});

describe('weekdayOrderOf', () => {
  it('names the last such weekday 5 even when it is also the fourth', () => {
    expect(weekdayOrderOf(2024, 10, 27)).toEqual({ dayOfWeek: 'Sunday', dayOrder: 5 });
    expect(weekdayOrderOf(2024, 3, 31)).toEqual({ dayOfWeek: 'Sunday', dayOrder: 5 });
    expect(weekdayOrderOf(2024, 3, 24)).toEqual({ dayOfWeek: 'Sunday', dayOrder: 4 });
    expect(weekdayOrderOf(2024, 3, 10)).toEqual({ dayOfWeek: 'Sunday', dayOrder: 2 });
  });
});

describe('dayOfWeekOf', () => {
  it('agrees with Date for every day of a few centuries', () => {
    for (let ms = Date.UTC(1890, 0, 1); ms < Date.UTC(2110, 0, 1); ms += 86_400_000 * 13) {
      const d = new Date(ms);
      const expected = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
      expect(dayOfWeekOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(expected);
    }
  });
});
