import { UTC_ZONE } from './utc-zone';
import {
  ianaNameForWindowsId,
  windowsIdForIanaName,
  windowsZoneIds,
  zoneFromIanaName,
  zoneFromWindowsId,
} from './windows-zones';

const iso = (ms: number) => new Date(ms).toISOString();

describe('Windows zone ids (CLDR windowsZones through windows-iana)', () => {
  it('maps a Windows id to the zone of its primary ("001") territory', () => {
    expect(ianaNameForWindowsId('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(ianaNameForWindowsId('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaNameForWindowsId('AUS Eastern Standard Time')).toBe('Australia/Sydney');
    // Not Europe/Brussels or Madrid, which share the Windows id in other territories.
    expect(ianaNameForWindowsId('Romance Standard Time')).toBe('Europe/Paris');
  });

  it('tolerates stray case and whitespace in a Windows id, and nothing else', () => {
    expect(ianaNameForWindowsId(' pacific standard time ')).toBe('America/Los_Angeles');
    expect(ianaNameForWindowsId('Pacific Time')).toBeUndefined();
    expect(ianaNameForWindowsId('America/Los_Angeles')).toBeUndefined();
    expect(zoneFromWindowsId('Mars Standard Time')).toBeUndefined();
  });

  it('maps the IANA zones Graph reports working hours in back to Windows ids', () => {
    expect(windowsIdForIanaName('Europe/Berlin')).toBe('W. Europe Standard Time');
    expect(windowsIdForIanaName('America/Vancouver')).toBe('Pacific Standard Time');
    expect(windowsIdForIanaName('Asia/Kolkata')).toBe('India Standard Time');
    expect(windowsIdForIanaName('Etc/UTC')).toBe('UTC');
    // Newer spellings and odd casing go through ICU's canonical name.
    expect(windowsIdForIanaName('Europe/Kyiv')).toBe('FLE Standard Time');
    expect(windowsIdForIanaName('europe/berlin')).toBe('W. Europe Standard Time');
    expect(windowsIdForIanaName('Nowhere/Special')).toBeUndefined();
  });

  it('lists every Windows id once, each resolving to a working zone', () => {
    const ids = windowsZoneIds();
    expect(ids.length).toBeGreaterThan(130);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['Pacific Standard Time', 'UTC', 'India Standard Time']),
    );
    for (const id of ids) {
      const zone = zoneFromWindowsId(id);
      expect(zone?.description).toBe(id);
      expect(
        Number.isFinite(
          zone!.toUtc({
            year: 2024,
            month: 6,
            day: 1,
            hour: 12,
            minute: 0,
            second: 0,
            millisecond: 0,
          }),
        ),
      ).toBe(true);
    }
  });

  it('keeps one zone per Windows id, so per-year work is shared across requests', () => {
    expect(zoneFromWindowsId('Pacific Standard Time')).toBe(
      zoneFromWindowsId('pacific standard time'),
    );
    expect(zoneFromIanaName('America/Los_Angeles')).toBe(zoneFromIanaName('America/Los_Angeles'));
  });
});

describe('zoneFromIanaName', () => {
  it('converts with the IANA rules and names the zone the ICU way', () => {
    const zone = zoneFromIanaName('asia/calcutta')!;
    expect(zone.description).toBe('Asia/Calcutta');
    expect(zone.toLocal(Date.parse('2024-01-01T00:00:00Z'))).toMatchObject({ hour: 5, minute: 30 });
  });

  it('follows historical changes: Samoa skipped 30 December 2011', () => {
    const zone = zoneFromIanaName('Pacific/Apia')!;
    expect(zone.toLocal(Date.parse('2011-12-30T09:59:59Z'))).toMatchObject({
      day: 29,
      hour: 23,
      minute: 59,
    });
    expect(zone.toLocal(Date.parse('2011-12-30T10:00:00Z'))).toMatchObject({
      day: 31,
      hour: 0,
      minute: 0,
    });
    // A time on the skipped day is read with the offset before the jump.
    const skipped = {
      year: 2011,
      month: 12,
      day: 30,
      hour: 12,
      minute: 0,
      second: 0,
      millisecond: 0,
    };
    expect(iso(zone.toUtc(skipped))).toBe('2011-12-30T22:00:00.000Z');
  });

  it('is undefined for names ICU does not know', () => {
    expect(zoneFromIanaName('Pacific Standard Time')).toBeUndefined();
    expect(zoneFromIanaName('')).toBeUndefined();
  });
});

describe('UTC_ZONE', () => {
  it('is the identity between wall clock and UTC', () => {
    const local = { year: 2024, month: 3, day: 10, hour: 2, minute: 30, second: 0, millisecond: 7 };
    expect(UTC_ZONE.description).toBe('UTC');
    expect(iso(UTC_ZONE.toUtc(local))).toBe('2024-03-10T02:30:00.007Z');
    expect(UTC_ZONE.toLocal(Date.parse('2024-03-10T02:30:00.007Z'))).toEqual(local);
  });
});
