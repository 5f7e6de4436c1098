import fc from 'fast-check';
import {
  formatGraphUtc,
  parseGraphDateTime,
  parseTimeOfDay,
  parseUtcDateTime,
} from './graph-date-time';

describe('parseGraphDateTime', () => {
  it("reads Graph's seven-digit UTC times as UTC, whatever the process zone", () => {
    expect(parseGraphDateTime({ dateTime: '2019-03-15T12:00:00.0000000', timeZone: 'UTC' })).toBe(
      Date.UTC(2019, 2, 15, 12, 0, 0),
    );
    expect(parseGraphDateTime({ dateTime: '2024-03-10T09:59:59.9999999', timeZone: 'UTC' })).toBe(
      Date.UTC(2024, 2, 10, 9, 59, 59, 999),
    );
  });

  it('accepts the other spellings of UTC and a missing zone', () => {
    const at = Date.UTC(2024, 0, 1, 8, 30);
    for (const timeZone of ['utc', 'Etc/UTC', 'Coordinated Universal Time', undefined]) {
      expect(parseGraphDateTime({ dateTime: '2024-01-01T08:30:00.0000000', timeZone })).toBe(at);
    }
  });

  it('refuses times in another zone rather than misplace them by hours', () => {
    expect(
      parseGraphDateTime({
        dateTime: '2019-03-15T12:00:00.0000000',
        timeZone: 'Pacific Standard Time',
      }),
    ).toBeUndefined();
  });

  it('refuses what is not a date-time', () => {
    for (const dateTime of ['', '2019-03-15', '2019-13-01T00:00:00', '2024-02-30T00:00:00', 'x']) {
      expect(parseGraphDateTime({ dateTime, timeZone: 'UTC' })).toBeUndefined();
    }
    expect(parseGraphDateTime(null)).toBeUndefined();
    expect(parseGraphDateTime({ dateTime: 5 })).toBeUndefined();
  });

  it('checks the seven-digit form Graph writes as strictly as any other (it has its own fast path)', () => {
    for (const dateTime of [
      '2024-02-30T00:00:00.0000000',
      '2023-02-29T00:00:00.0000000',
      '2024-04-31T00:00:00.0000000',
      '2024-13-01T00:00:00.0000000',
      '2024-00-10T00:00:00.0000000',
      '2024-03-00T00:00:00.0000000',
      '2024-03-10T24:00:00.0000000',
      '2024-03-10T09:60:00.0000000',
      '2024-03-1xT09:00:00.0000000',
      '2024-03-10 09:00:00.0000000',
      '2024-03-10T09:00:00,0000000',
    ]) {
      expect(parseGraphDateTime({ dateTime, timeZone: 'UTC' })).toBeUndefined();
    }
    expect(parseUtcDateTime('2024-02-29T23:59:59.9990000')).toBe(
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    );
    expect(parseUtcDateTime('2024-12-31T00:00:00.1234567')).toBe(
      Date.UTC(2024, 11, 31, 0, 0, 0, 123),
    );
  });

  it('honours an explicit offset', () => {
    expect(parseUtcDateTime('2024-01-01T09:00:00+01:00')).toBe(Date.UTC(2024, 0, 1, 8));
    expect(parseUtcDateTime('2024-01-01T09:00:00Z')).toBe(Date.UTC(2024, 0, 1, 9));
  });

  it('round-trips every millisecond instant written with seven digits', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (date) => {
          const written = `${date.toISOString().slice(0, 23)}0000`;
          expect(parseGraphDateTime({ dateTime: written, timeZone: 'UTC' })).toBe(date.getTime());
        },
      ),
    );
  });
});

describe('parseTimeOfDay', () => {
  it('reads working-hours times in minutes', () => {
    expect(parseTimeOfDay('08:00:00.0000000')).toBe(480);
    expect(parseTimeOfDay('17:30:00')).toBe(1050);
    expect(parseTimeOfDay('00:00:00.0000000')).toBe(0);
    expect(parseTimeOfDay('25:00:00')).toBeUndefined();
    expect(parseTimeOfDay(undefined)).toBeUndefined();
  });
});

describe('formatGraphUtc', () => {
  it('writes the request form getSchedule wants (UTC, no offset, seconds)', () => {
    expect(formatGraphUtc(Date.UTC(2024, 2, 11, 7))).toBe('2024-03-11T07:00:00');
  });
});
