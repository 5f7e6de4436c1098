import {
  formatLocalDateTime,
  localDateTimeAsUtcMs,
  parseXsDateTime,
  utcMsAsLocalDateTime,
} from './local-date-time';
import type { LocalDateTime } from './time-zone-types';
import fc from 'fast-check';

const local = (
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): LocalDateTime => ({ year, month, day, hour, minute, second, millisecond });

describe('parseXsDateTime', () => {
  it('reads a naive time (Google, the Managed API) as wall clock with no offset', () => {
    expect(parseXsDateTime('2024-03-04T00:00:00')).toEqual({ local: local(2024, 3, 4) });
  });

  it('reads Z (DavMail) and explicit offsets (exchangelib) as minutes east of UTC', () => {
    expect(parseXsDateTime('2024-03-11T08:00:00Z')).toEqual({
      local: local(2024, 3, 11, 8),
      offsetMinutes: 0,
    });
    expect(parseXsDateTime('2024-10-28T00:00:00+01:00')?.offsetMinutes).toBe(60);
    expect(parseXsDateTime('2024-10-28T00:00:00-05:30')?.offsetMinutes).toBe(-330);
    expect(parseXsDateTime('2024-10-28T00:00:00+14:00')?.offsetMinutes).toBe(840);
    expect(parseXsDateTime('2024-10-28T00:00:00-00:00')?.offsetMinutes).toBe(0);
  });

  it('keeps milliseconds of exchangelib microseconds and truncates, never rounds, the rest', () => {
    expect(parseXsDateTime('2024-10-27T00:00:00.123456+02:00')).toEqual({
      local: local(2024, 10, 27, 0, 0, 0, 123),
      offsetMinutes: 120,
    });
    expect(parseXsDateTime('2024-10-27T23:59:59.9999999')?.local).toEqual(
      local(2024, 10, 27, 23, 59, 59, 999),
    );
    expect(parseXsDateTime('2024-10-27T10:00:00.5')?.local.millisecond).toBe(500);
    expect(parseXsDateTime('2024-10-27T10:00:00.05')?.local.millisecond).toBe(50);
    // Graph's seven fractional digits, should they ever reach this parser.
    expect(parseXsDateTime('2019-03-15T12:00:00.0000000')?.local).toEqual(local(2019, 3, 15, 12));
  });

  it('ignores whitespace around the value (XML pretty-printing)', () => {
    expect(parseXsDateTime('\n  2024-03-04T09:30:00 \n')?.local).toEqual(local(2024, 3, 4, 9, 30));
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseXsDateTime('2024-02-29T12:00:00')?.local).toEqual(local(2024, 2, 29, 12));
    expect(parseXsDateTime('2000-02-29T12:00:00')).toBeDefined();
    expect(parseXsDateTime('2023-02-29T12:00:00')).toBeUndefined();
    expect(parseXsDateTime('1900-02-29T12:00:00')).toBeUndefined();
  });

  it('reads T24:00:00 as the start of the next day, as XML Schema 1.0 defines it', () => {
    expect(parseXsDateTime('2024-12-31T24:00:00')?.local).toEqual(local(2025, 1, 1));
    expect(parseXsDateTime('2024-02-28T24:00:00.000Z')).toEqual({
      local: local(2024, 2, 29),
      offsetMinutes: 0,
    });
    expect(parseXsDateTime('2024-12-31T24:00:01')).toBeUndefined();
    expect(parseXsDateTime('2024-12-31T24:00:00.001')).toBeUndefined();
  });

  it.each([
    ['month 13', '2024-13-01T00:00:00'],
    ['month 0', '2024-00-10T00:00:00'],
    ['day 0', '2024-01-00T00:00:00'],
    ['30 February', '2024-02-30T00:00:00'],
    ['31 April', '2024-04-31T00:00:00'],
    ['hour 25', '2024-03-04T25:00:00'],
    ['minute 60', '2024-03-04T10:60:00'],
    ['second 60 (no leap seconds in xs:dateTime)', '2024-03-04T10:00:60'],
    ['year 0000', '0000-01-01T00:00:00'],
    ['offset beyond 14:00', '2024-03-04T10:00:00+14:30'],
    ['offset minutes 60', '2024-03-04T10:00:00+01:60'],
    ['offset without colon', '2024-03-04T10:00:00+0100'],
    ['a date alone', '2024-03-04'],
    ['no seconds', '2024-03-04T10:00'],
    ['a space instead of T', '2024-03-04 10:00:00'],
    ['a trailing dot', '2024-03-04T10:00:00.'],
    ['two-digit fields written short', '2024-3-4T10:00:00'],
    ['five-digit year', '12024-03-04T10:00:00'],
    ['text', 'yesterday'],
    ['empty', ''],
  ])('rejects %s', (_why, text) => {
    expect(parseXsDateTime(text)).toBeUndefined();
  });

  it('round-trips every valid wall clock it formats (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true, // fast-check 4 includes Invalid Date by default
        }),
        (date) => {
          const wall = utcMsAsLocalDateTime(date.getTime());
          const parsed = parseXsDateTime(formatLocalDateTime(wall));
          expect(parsed).toEqual({ local: { ...wall, millisecond: 0 } });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formatLocalDateTime', () => {
  it('writes yyyy-MM-ddTHH:mm:ss with no offset and no fractions (protocol.md 5)', () => {
    expect(formatLocalDateTime(local(2024, 3, 4, 9, 5, 7, 999))).toBe('2024-03-04T09:05:07');
    expect(formatLocalDateTime(local(987, 1, 2))).toBe('0987-01-02T00:00:00');
  });
});

describe('wall clock as if UTC', () => {
  it('maps a wall clock to the epoch ms of the same fields in UTC and back', () => {
    const wall = local(2024, 3, 10, 2, 30, 15, 250);
    expect(localDateTimeAsUtcMs(wall)).toBe(Date.parse('2024-03-10T02:30:15.250Z'));
    expect(utcMsAsLocalDateTime(Date.parse('2024-03-10T02:30:15.250Z'))).toEqual(wall);
  });

  it('does not read years 0001..0099 as 1901..1999 the way Date.UTC does', () => {
    const ms = localDateTimeAsUtcMs(local(50, 6, 15, 12));
    expect(new Date(ms).toISOString()).toBe('0050-06-15T12:00:00.000Z');
    expect(utcMsAsLocalDateTime(ms)).toEqual(local(50, 6, 15, 12));
  });
});
