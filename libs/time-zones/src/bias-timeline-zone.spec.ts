import { zoneFromSerializableTimeZone } from './serializable-time-zone';
import type { SerializableTimeZone } from './time-zone-types';

const PACIFIC: SerializableTimeZone = {
  bias: 480,
  standardTime: { bias: 0, timeMinutes: 120, dayOrder: 1, month: 11, dayOfWeek: 'Sunday' },
  daylightTime: { bias: -60, timeMinutes: 120, dayOrder: 2, month: 3, dayOfWeek: 'Sunday' },
};

describe('BiasTimelineZone conversions in any order', () => {
  // The zone remembers the year of its last conversion; hopping between years must not let
  // one year's changes leak into another's.
  it('converts instants hopping across years and DST changes as a fresh zone would', () => {
    const instants = [
      Date.UTC(2024, 2, 10, 9, 59, 59, 999), // just before the 2024 spring-forward (10:00Z)
      Date.UTC(2023, 11, 31, 23, 59, 59, 999),
      Date.UTC(2024, 2, 10, 10, 0, 0),
      Date.UTC(2025, 0, 1, 0, 0, 0),
      Date.UTC(2024, 10, 3, 8, 59, 59, 999), // just before the 2024 fall-back (09:00Z)
      Date.UTC(2021, 5, 1, 12),
      Date.UTC(2024, 10, 3, 9, 0, 0),
      Date.UTC(2024, 0, 1, 0, 0, 0),
    ];
    const shared = zoneFromSerializableTimeZone(PACIFIC);
    for (const utcMs of [...instants, ...instants.reverse()]) {
      expect(shared.toLocal(utcMs)).toEqual(zoneFromSerializableTimeZone(PACIFIC).toLocal(utcMs));
    }
    expect(shared.toLocal(Date.UTC(2024, 2, 10, 9, 59, 59))).toMatchObject({ hour: 1, minute: 59 });
    expect(shared.toLocal(Date.UTC(2024, 2, 10, 10, 0, 0))).toMatchObject({ hour: 3, minute: 0 });
    expect(shared.toLocal(Date.UTC(2024, 10, 3, 9, 0, 0))).toMatchObject({ hour: 1, minute: 0 });
  });

  it('still refuses an instant that is not a date', () => {
    const zone = zoneFromSerializableTimeZone(PACIFIC);
    zone.toLocal(Date.UTC(2024, 0, 1));
    expect(() => zone.toLocal(NaN)).toThrow(RangeError);
  });
});
