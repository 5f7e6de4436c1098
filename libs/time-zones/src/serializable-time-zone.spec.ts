import {
  AUS_EASTERN,
  EWS_JAVA_UTC_DUMMY,
  INDIA,
  NEW_ZEALAND,
  PACIFIC,
  W_EUROPE,
} from '../test/protocol-rules-table';
import { zoneFromSerializableTimeZone } from './serializable-time-zone';
import type { LocalDateTime, SerializableTimeZone } from './time-zone-types';

const wall = (iso: string): LocalDateTime => {
  const d = new Date(`${iso}Z`);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
};
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('zoneFromSerializableTimeZone', () => {
  describe('Pacific (DaylightTime entered on the standard clock, StandardTime left on the daylight clock)', () => {
    const zone = zoneFromSerializableTimeZone(PACIFIC.rules);

    it('uses the standard bias in winter and bias + DaylightTime.Bias in summer', () => {
      expect(iso(zone.toUtc(wall('2024-01-15T09:00:00')))).toBe('2024-01-15T17:00:00.000Z');
      expect(iso(zone.toUtc(wall('2024-07-15T09:00:00')))).toBe('2024-07-15T16:00:00.000Z');
      expect(zone.toLocal(utc('2024-07-15T16:00:00Z'))).toEqual(wall('2024-07-15T09:00:00'));
    });

    it('springs forward at 02:00 standard time and falls back at 02:00 daylight time', () => {
      expect(zone.toLocal(utc('2024-03-10T09:59:59.999Z'))).toEqual(
        wall('2024-03-10T01:59:59.999'),
      );
      expect(zone.toLocal(utc('2024-03-10T10:00:00Z'))).toEqual(wall('2024-03-10T03:00:00'));
      expect(zone.toLocal(utc('2024-11-03T08:59:59Z'))).toEqual(wall('2024-11-03T01:59:59'));
      expect(zone.toLocal(utc('2024-11-03T09:00:00Z'))).toEqual(wall('2024-11-03T01:00:00'));
    });

    it('reads a time in the spring-forward gap with the standard bias', () => {
      // 02:30 does not exist on 2024-03-10; 02:30 PST is 10:30Z, which the clock shows as 03:30.
      const instant = zone.toUtc(wall('2024-03-10T02:30:00'));
      expect(iso(instant)).toBe('2024-03-10T10:30:00.000Z');
      expect(zone.toLocal(instant)).toEqual(wall('2024-03-10T03:30:00'));
    });

    it('reads a time in the fall-back overlap as the earlier (daylight) instant', () => {
      expect(iso(zone.toUtc(wall('2024-11-03T01:30:00')))).toBe('2024-11-03T08:30:00.000Z');
      // Both instants show 01:30; only the first is chosen.
      expect(zone.toLocal(utc('2024-11-03T09:30:00Z'))).toEqual(wall('2024-11-03T01:30:00'));
      expect(iso(zone.toUtc(wall('2024-11-03T02:00:00')))).toBe('2024-11-03T10:00:00.000Z');
    });

    it('applies the same rule in other years (2nd Sunday of March 2030 is the 10th too)', () => {
      expect(iso(zone.toUtc(wall('2030-03-10T03:00:00')))).toBe('2030-03-10T10:00:00.000Z');
      expect(iso(zone.toUtc(wall('2027-03-14T03:00:00')))).toBe('2027-03-14T10:00:00.000Z');
    });
  });

  describe('southern hemisphere: DST starts in a later month than it ends', () => {
    it('AUS Eastern is on daylight time over New Year and leaves it on the first Sunday of April', () => {
      const zone = zoneFromSerializableTimeZone(AUS_EASTERN.rules);
      expect(iso(zone.toUtc(wall('2025-01-01T00:00:00')))).toBe('2024-12-31T13:00:00.000Z');
      expect(iso(zone.toUtc(wall('2024-06-01T00:00:00')))).toBe('2024-05-31T14:00:00.000Z');
      // Leaves DST at 03:00 daylight time on 2024-04-07: 02:30 happens twice, take the first.
      expect(iso(zone.toUtc(wall('2024-04-07T02:30:00')))).toBe('2024-04-06T15:30:00.000Z');
      expect(zone.toLocal(utc('2024-04-06T16:30:00Z'))).toEqual(wall('2024-04-07T02:30:00'));
      // Enters DST at 02:00 standard time on 2024-10-06: 02:30 is read with the standard bias.
      expect(iso(zone.toUtc(wall('2024-10-06T02:30:00')))).toBe('2024-10-05T16:30:00.000Z');
    });

    it('New Zealand enters DST on the last Sunday of September', () => {
      const zone = zoneFromSerializableTimeZone(NEW_ZEALAND.rules);
      expect(zone.toLocal(utc('2024-09-28T13:59:59Z'))).toEqual(wall('2024-09-29T01:59:59'));
      expect(zone.toLocal(utc('2024-09-28T14:00:00Z'))).toEqual(wall('2024-09-29T03:00:00'));
    });
  });

  describe('zones without DST', () => {
    it('India (Month 0) keeps its bias all year, half hours included', () => {
      const zone = zoneFromSerializableTimeZone(INDIA.rules);
      expect(iso(zone.toUtc(wall('2024-03-10T02:30:00')))).toBe('2024-03-09T21:00:00.000Z');
      expect(zone.toLocal(utc('2024-07-01T00:00:00Z'))).toEqual(wall('2024-07-01T05:30:00'));
    });

    it("ews-java-api's UTC dummy (rules in March and October, all biases 0) is plain UTC", () => {
      const zone = zoneFromSerializableTimeZone(EWS_JAVA_UTC_DUMMY.rules);
      for (const time of ['2024-03-03T02:30:00', '2024-10-06T02:30:00', '2024-07-01T12:00:00']) {
        expect(iso(zone.toUtc(wall(time)))).toBe(`${time}.000Z`);
        expect(zone.toLocal(utc(`${time}Z`))).toEqual(wall(time));
      }
    });

    it('a Month 0 on one side alone is enough to mean no DST (Google sends DayOrder 0 there)', () => {
      const rules: SerializableTimeZone = {
        ...PACIFIC.rules,
        standardTime: { ...PACIFIC.rules.standardTime, month: 0, dayOrder: 0 },
      };
      const zone = zoneFromSerializableTimeZone(rules);
      expect(iso(zone.toUtc(wall('2024-07-15T09:00:00')))).toBe('2024-07-15T17:00:00.000Z');
    });

    it('a StandardTime.Bias is added to the base bias even without DST', () => {
      const rules: SerializableTimeZone = {
        bias: 0,
        standardTime: { ...INDIA.rules.standardTime, bias: -60 },
        daylightTime: { ...INDIA.rules.daylightTime, bias: -60 },
      };
      expect(iso(zoneFromSerializableTimeZone(rules).toUtc(wall('2024-01-01T12:00:00')))).toBe(
        '2024-01-01T11:00:00.000Z',
      );
    });
  });

  describe('with Year: an absolute date, DayOrder being the day of the month', () => {
    // W. Europe's 2024 dates written as Windows' absolute format would: 31 March and 27 October.
    const rules: SerializableTimeZone = {
      bias: -60,
      standardTime: {
        ...W_EUROPE.rules.standardTime,
        dayOrder: 27,
        year: 2024,
        dayOfWeek: 'Monday',
      },
      daylightTime: {
        ...W_EUROPE.rules.daylightTime,
        dayOrder: 31,
        year: 2024,
        dayOfWeek: 'Monday',
      },
    };
    const zone = zoneFromSerializableTimeZone(rules);

    it('changes on those dates, whatever DayOfWeek says', () => {
      expect(zone.toLocal(utc('2024-03-31T00:59:59Z'))).toEqual(wall('2024-03-31T01:59:59'));
      expect(zone.toLocal(utc('2024-03-31T01:00:00Z'))).toEqual(wall('2024-03-31T03:00:00'));
      expect(zone.toLocal(utc('2024-10-27T01:00:00Z'))).toEqual(wall('2024-10-27T02:00:00'));
    });

    it('repeats the date in other years, as the EWS Managed API reads it (fixed-date rule)', () => {
      // 31 March 2025 is a Monday; the last-Sunday rule would have said 30 March.
      expect(zone.toLocal(utc('2025-03-30T12:00:00Z'))).toEqual(wall('2025-03-30T13:00:00'));
      expect(zone.toLocal(utc('2025-03-31T12:00:00Z'))).toEqual(wall('2025-03-31T14:00:00'));
    });

    it('clamps a day beyond the end of the month to its last day', () => {
      const zone30 = zoneFromSerializableTimeZone({
        ...rules,
        daylightTime: { ...rules.daylightTime, month: 4, dayOrder: 31 },
      });
      expect(zone30.toLocal(utc('2024-04-30T00:59:59Z'))).toEqual(wall('2024-04-30T01:59:59'));
      expect(zone30.toLocal(utc('2024-04-30T01:00:00Z'))).toEqual(wall('2024-04-30T03:00:00'));
    });
  });

  it('describes itself for the lookup log line', () => {
    expect(zoneFromSerializableTimeZone(PACIFIC.rules).description).toBe(
      'SerializableTimeZone(bias=480,std=0@2:00 1/11/Sunday,dlt=-60@2:00 2/3/Sunday)',
    );
  });
});
