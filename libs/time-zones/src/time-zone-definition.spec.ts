import { pacificDefinitionFromFixture } from '../test/managed-api-definitions';
import { zoneFromTimeZoneDefinition } from './time-zone-definition';
import type { LocalDateTime, TimeZoneDefinition, ZoneTransition } from './time-zone-types';

const wall = (iso: string): LocalDateTime => {
  const d = new Date(`${iso}Z`);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: 0,
  };
};
const iso = (ms: number) => new Date(ms).toISOString();
const toPeriod = (id: string) => ({ kind: 'Period', id }) as const;
const toGroup = (id: string) => ({ kind: 'Group', id }) as const;

function recurringDay(
  to: string,
  month: number,
  occurrence: number,
  timeOffsetMinutes: number,
): ZoneTransition {
  return {
    type: 'recurringDay',
    to: toPeriod(to),
    month,
    occurrence,
    timeOffsetMinutes,
    dayOfWeek: 'Sunday',
  };
}

describe('zoneFromTimeZoneDefinition', () => {
  it('reads the Managed API fixture as Pacific time, gap and overlap as protocol.md 4.2 says', () => {
    const zone = zoneFromTimeZoneDefinition(pacificDefinitionFromFixture())!;
    expect(zone.description).toBe('TimeZoneDefinition(Pacific Standard Time)');
    expect(iso(zone.toUtc(wall('2024-01-15T09:00:00')))).toBe('2024-01-15T17:00:00.000Z');
    expect(iso(zone.toUtc(wall('2024-07-15T09:00:00')))).toBe('2024-07-15T16:00:00.000Z');
    expect(iso(zone.toUtc(wall('2024-03-10T02:30:00')))).toBe('2024-03-10T10:30:00.000Z');
    expect(iso(zone.toUtc(wall('2024-11-03T01:30:00')))).toBe('2024-11-03T08:30:00.000Z');
  });

  it('finds the standard period by where the transitions lead, not by its name or order', () => {
    // Periods listed daylight first, with made-up names: still Pacific time.
    const fixture = pacificDefinitionFromFixture();
    const scrambled: TimeZoneDefinition = {
      ...fixture,
      periods: [
        { id: 'Dlt/2007', name: 'Summer', biasMinutes: 420 },
        { id: 'Std', name: 'Winter', biasMinutes: 480 },
      ],
      transitionsGroups: [
        { id: '0', transitions: [...fixture.transitionsGroups![0].transitions].reverse() },
      ],
    };
    const zone = zoneFromTimeZoneDefinition(scrambled)!;
    expect(iso(zone.toUtc(wall('2024-03-10T03:00:00')))).toBe('2024-03-10T10:00:00.000Z');
    expect(iso(zone.toUtc(wall('2024-11-03T01:30:00')))).toBe('2024-11-03T08:30:00.000Z');
    expect(iso(zone.toUtc(wall('2024-11-03T02:00:00')))).toBe('2024-11-03T10:00:00.000Z');
  });

  it('switches TransitionsGroups at AbsoluteDateTransitions (US rules before and after 2007)', () => {
    // How Exchange writes Pacific with its pre-2007 rule era.
    const definition: TimeZoneDefinition = {
      id: 'Pacific Standard Time',
      periods: [
        { id: 'Std', name: 'Standard', biasMinutes: 480 },
        { id: 'Dlt/1987', name: 'Daylight', biasMinutes: 420 },
        { id: 'Dlt/2007', name: 'Daylight', biasMinutes: 420 },
      ],
      transitionsGroups: [
        {
          id: '0',
          transitions: [recurringDay('Dlt/1987', 4, 1, 120), recurringDay('Std', 10, -1, 120)],
        },
        {
          id: '1',
          transitions: [recurringDay('Dlt/2007', 3, 2, 120), recurringDay('Std', 11, 1, 120)],
        },
      ],
      transitions: [
        { type: 'plain', to: toGroup('0') },
        { type: 'absolute', to: toGroup('1'), dateTime: wall('2007-01-01T08:00:00') },
      ],
    };
    const zone = zoneFromTimeZoneDefinition(definition)!;
    // 2006: first Sunday of April to last Sunday of October.
    expect(iso(zone.toUtc(wall('2006-03-20T12:00:00')))).toBe('2006-03-20T20:00:00.000Z');
    expect(iso(zone.toUtc(wall('2006-04-02T03:00:00')))).toBe('2006-04-02T10:00:00.000Z');
    expect(iso(zone.toUtc(wall('2006-10-30T12:00:00')))).toBe('2006-10-30T20:00:00.000Z');
    // 2007 onwards: second Sunday of March to first Sunday of November.
    expect(iso(zone.toUtc(wall('2007-03-20T12:00:00')))).toBe('2007-03-20T19:00:00.000Z');
    expect(iso(zone.toUtc(wall('2007-10-30T12:00:00')))).toBe('2007-10-30T19:00:00.000Z');
    expect(iso(zone.toUtc(wall('2024-03-10T03:00:00')))).toBe('2024-03-10T10:00:00.000Z');
  });

  it('moves the standard offset at New Year when a later group has another standard period', () => {
    // A zone that moved from UTC+3 to UTC+4 for good from 2011 (like Moscow did).
    const definition: TimeZoneDefinition = {
      id: 'Moved',
      periods: [
        { id: 'Std/old', name: 'Standard', biasMinutes: -180 },
        { id: 'Std/new', name: 'Standard', biasMinutes: -240 },
      ],
      transitionsGroups: [
        { id: '0', transitions: [{ type: 'plain', to: toPeriod('Std/old') }] },
        { id: '1', transitions: [{ type: 'plain', to: toPeriod('Std/new') }] },
      ],
      transitions: [
        { type: 'plain', to: toGroup('0') },
        { type: 'absolute', to: toGroup('1'), dateTime: wall('2011-01-01T00:00:00') },
      ],
    };
    const zone = zoneFromTimeZoneDefinition(definition)!;
    expect(zone.toLocal(Date.parse('2010-12-31T20:59:59Z'))).toEqual(wall('2010-12-31T23:59:59'));
    expect(zone.toLocal(Date.parse('2010-12-31T21:00:00Z'))).toEqual(wall('2011-01-01T01:00:00'));
    expect(iso(zone.toUtc(wall('2011-06-01T12:00:00')))).toBe('2011-06-01T08:00:00.000Z');
  });

  it('reads RecurringDateTransitions (fixed dates, e.g. Iran before 2023)', () => {
    const definition: TimeZoneDefinition = {
      id: 'Fixed dates',
      periods: [
        { id: 'Std', name: 'Standard', biasMinutes: -210 },
        { id: 'Dlt', name: 'Daylight', biasMinutes: -270 },
      ],
      transitionsGroups: [
        {
          id: '0',
          transitions: [
            { type: 'recurringDate', to: toPeriod('Dlt'), month: 3, day: 22, timeOffsetMinutes: 0 },
            { type: 'recurringDate', to: toPeriod('Std'), month: 9, day: 22, timeOffsetMinutes: 0 },
          ],
        },
      ],
      transitions: [{ type: 'plain', to: toGroup('0') }],
    };
    const zone = zoneFromTimeZoneDefinition(definition)!;
    expect(zone.toLocal(Date.parse('2021-03-21T20:29:59Z'))).toEqual(wall('2021-03-21T23:59:59'));
    expect(zone.toLocal(Date.parse('2021-03-21T20:30:00Z'))).toEqual(wall('2021-03-22T01:00:00'));
    // Back at midnight daylight time: 23:30 on 21 September exists twice; the first one wins.
    expect(iso(zone.toUtc(wall('2021-09-21T23:30:00')))).toBe('2021-09-21T19:00:00.000Z');
  });

  it('reads a group holding a lone Transition (how Exchange writes zones without DST)', () => {
    const zone = zoneFromTimeZoneDefinition({
      id: 'India Standard Time',
      periods: [{ id: 'Std', name: 'Standard', biasMinutes: -330 }],
      transitionsGroups: [{ id: '0', transitions: [{ type: 'plain', to: toPeriod('Std') }] }],
      transitions: [{ type: 'plain', to: toGroup('0') }],
    })!;
    expect(zone.toLocal(Date.parse('2024-03-10T10:00:00Z'))).toEqual(wall('2024-03-10T15:30:00'));
  });

  it('makes do without a Transitions list when there is only one group', () => {
    const withoutTransitions = { ...pacificDefinitionFromFixture(), transitions: undefined };
    const zone = zoneFromTimeZoneDefinition(withoutTransitions)!;
    expect(iso(zone.toUtc(wall('2024-07-15T09:00:00')))).toBe('2024-07-15T16:00:00.000Z');
  });

  it.each<[string, (d: TimeZoneDefinition) => TimeZoneDefinition]>([
    ['an Id-only definition (no Periods)', (d) => ({ id: d.id })],
    ['a transition to an unknown period', (d) => ({ ...d, periods: d.periods!.slice(0, 1) })],
    [
      'a transition to an unknown group',
      (d) => ({ ...d, transitions: [{ type: 'plain', to: toGroup('9') }] }),
    ],
    [
      'a group without yearly transitions',
      (d) => ({ ...d, transitionsGroups: [{ id: '0', transitions: [] }] }),
    ],
    [
      'a month outside 1..12',
      (d) => ({
        ...d,
        transitionsGroups: [
          {
            id: '0',
            transitions: [recurringDay('Dlt/2007', 13, 2, 120), recurringDay('Std', 11, 1, 120)],
          },
        ],
      }),
    ],
  ])('is undefined for %s, so the caller falls back to the Id', (_why, damage) => {
    expect(zoneFromTimeZoneDefinition(damage(pacificDefinitionFromFixture()))).toBeUndefined();
  });
});
