import { intlTransitions, intlWallClock } from '../test/intl-reference';
import {
  AUS_EASTERN,
  EASTERN,
  GMT,
  INDIA,
  NEW_ZEALAND,
  PACIFIC,
  W_EUROPE,
} from '../test/protocol-rules-table';
import { zoneFromSerializableTimeZone } from './serializable-time-zone';
import { zoneFromTimeZoneDefinition } from './time-zone-definition';
import type {
  RequesterZone,
  SerializableTimeChange,
  SerializableTimeZone,
  TimeZoneDefinition,
} from './time-zone-types';
import { ianaNameForWindowsId, windowsZoneIds } from './windows-zones';
import { serializableTimeZoneFor, timeZoneDefinitionFor } from './zone-rules-from-iana';

const TABLE = [PACIFIC, EASTERN, W_EUROPE, GMT, AUS_EASTERN, NEW_ZEALAND, INDIA];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Instants of a UTC year worth checking: every few days, and around each transition. */
function probeInstants(ianaName: string, year: number): number[] {
  const instants: number[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 4 * DAY_MS + 7 * HOUR_MS) {
    instants.push(t);
  }
  for (const transition of intlTransitions(ianaName, year)) {
    instants.push(transition - HOUR_MS, transition - 1, transition, transition + HOUR_MS);
  }
  return instants;
}

/**
 * Zones that moved their standard offset for good during 2024. One yearly rule cannot say that;
 * the rules describe the offset the zone moved to, so they hold from the move on.
 */
const MOVED_IN_2024: Readonly<Record<string, number>> = {
  'Central Asia Standard Time': Date.parse('2024-02-29T18:00:00Z'), // Kazakhstan to UTC+5
};

/** The instants where `zone` and Intl disagree about the wall clock (ideally none). */
function disagreements(zone: RequesterZone, windowsId: string, year: number): string[] {
  const ianaName = ianaNameForWindowsId(windowsId)!;
  const from = year === 2024 ? (MOVED_IN_2024[windowsId] ?? -Infinity) : -Infinity;
  return probeInstants(ianaName, year)
    .filter((t) => t >= from)
    .filter((t) => JSON.stringify(zone.toLocal(t)) !== JSON.stringify(intlWallClock(ianaName, t)))
    .map((t) => new Date(t).toISOString());
}

describe('serializableTimeZoneFor', () => {
  it.each(TABLE.map((z) => [z.windowsId, z]))(
    '%s in 2024 is exactly the protocol.md rules table',
    (_id, zone) => {
      expect(serializableTimeZoneFor(zone.windowsId, 2024)).toEqual(zone.rules);
      expect(serializableTimeZoneFor(zone.ianaName, 2024)).toEqual(zone.rules);
    },
  );

  it('gives the same rules in other current years, though the dates move', () => {
    for (const year of [2025, 2026, 2031, 2037]) {
      for (const zone of TABLE)
        expect(serializableTimeZoneFor(zone.windowsId, year)).toEqual(zone.rules);
    }
  });

  it('follows rule changes: US DST started on the first Sunday of April before 2007', () => {
    expect(serializableTimeZoneFor('Pacific Standard Time', 2006)).toEqual({
      bias: 480,
      standardTime: { bias: 0, timeMinutes: 120, dayOrder: 5, month: 10, dayOfWeek: 'Sunday' },
      daylightTime: { bias: -60, timeMinutes: 120, dayOrder: 1, month: 4, dayOfWeek: 'Sunday' },
    });
  });

  it('describes half-hour DST (Lord Howe) and DST that is the rule for most of the year (Morocco)', () => {
    expect(serializableTimeZoneFor('Lord Howe Standard Time', 2024)).toEqual({
      bias: -630,
      standardTime: { bias: 0, timeMinutes: 120, dayOrder: 1, month: 4, dayOfWeek: 'Sunday' },
      daylightTime: { bias: -30, timeMinutes: 120, dayOrder: 1, month: 10, dayOfWeek: 'Sunday' },
    });
    // Morocco is UTC+1 except during Ramadan (10 March - 14 April 2024), as Windows models it.
    expect(serializableTimeZoneFor('Morocco Standard Time', 2024)).toEqual({
      bias: 0,
      standardTime: { bias: 0, timeMinutes: 180, dayOrder: 2, month: 3, dayOfWeek: 'Sunday' },
      daylightTime: { bias: -60, timeMinutes: 120, dayOrder: 2, month: 4, dayOfWeek: 'Sunday' },
    });
  });

  it('gives a zone that moved its offset for good that year the offset it moved to, without DST', () => {
    const noRule = { bias: 0, timeMinutes: 0, dayOrder: 1, month: 0, dayOfWeek: 'Sunday' };
    expect(serializableTimeZoneFor('Central Asia Standard Time', 2023)).toEqual({
      bias: -360,
      standardTime: noRule,
      daylightTime: noRule,
    });
    expect(serializableTimeZoneFor('Central Asia Standard Time', 2024)).toEqual({
      bias: -300,
      standardTime: noRule,
      daylightTime: noRule,
    });
  });

  it('is undefined for a name that is neither a Windows id nor an IANA zone', () => {
    expect(serializableTimeZoneFor('Mars Standard Time', 2024)).toBeUndefined();
  });

  it('round-trips through zoneFromSerializableTimeZone to the IANA wall clock, for every Windows zone', () => {
    const failures: string[] = [];
    for (const id of windowsZoneIds()) {
      const zone = zoneFromSerializableTimeZone(serializableTimeZoneFor(id, 2024)!);
      const wrong = disagreements(zone, id, 2024);
      if (wrong.length > 0) failures.push(`${id}: ${wrong.slice(0, 3).join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * exchangelib's TimeZoneDefinition.get_std_and_dst, transcribed: how it turns our
 * GetServerTimeZones answer into the body TimeZone it then sends (docs/protocol.md 7).
 */
function exchangelibStdAndDst(definition: TimeZoneDefinition): SerializableTimeZone {
  const group = definition.transitionsGroups!.find(
    (g) => g.id === definition.transitions!.find((t) => t.to.kind === 'Group')!.to.id,
  )!;
  const periods = new Map(definition.periods!.map((p) => [p.id, p]));
  const standard = group.transitions
    .map((t) => periods.get(t.to.id))
    .find((p) => p !== undefined && p.name === 'Standard')!;
  if (group.transitions.length === 1) {
    const dummy = { bias: 0, timeMinutes: 0, dayOfWeek: 'Sunday' as const };
    return {
      bias: standard.biasMinutes,
      standardTime: { ...dummy, dayOrder: 1, month: 1 },
      daylightTime: { ...dummy, dayOrder: 5, month: 12, dayOfWeek: 'Saturday' },
    };
  }
  const byName: Record<string, SerializableTimeChange> = {};
  for (const t of group.transitions) {
    if (t.type !== 'recurringDay') throw new Error(`exchangelib cannot read ${t.type}`);
    const period = periods.get(t.to.id)!;
    byName[period.name] = {
      bias: period.name === 'Standard' ? 0 : period.biasMinutes - standard.biasMinutes,
      timeMinutes: t.timeOffsetMinutes,
      dayOrder: t.occurrence === -1 ? 5 : t.occurrence,
      month: t.month,
      dayOfWeek: t.dayOfWeek,
    };
  }
  return {
    bias: standard.biasMinutes,
    standardTime: byName.Standard,
    daylightTime: byName.Daylight,
  };
}

describe('timeZoneDefinitionFor (GetServerTimeZones with full data)', () => {
  it('writes Pacific like Exchange does: Std/Dlt periods, one group, one Transition to it', () => {
    expect(timeZoneDefinitionFor('Pacific Standard Time', 2024)).toEqual({
      id: 'Pacific Standard Time',
      name: 'Pacific Standard Time',
      periods: [
        { id: 'Std', name: 'Standard', biasMinutes: 480 },
        { id: 'Dlt', name: 'Daylight', biasMinutes: 420 },
      ],
      transitionsGroups: [
        {
          id: '0',
          transitions: [
            {
              type: 'recurringDay',
              to: { kind: 'Period', id: 'Dlt' },
              timeOffsetMinutes: 120,
              month: 3,
              dayOfWeek: 'Sunday',
              occurrence: 2,
            },
            {
              type: 'recurringDay',
              to: { kind: 'Period', id: 'Std' },
              timeOffsetMinutes: 120,
              month: 11,
              dayOfWeek: 'Sunday',
              occurrence: 1,
            },
          ],
        },
      ],
      transitions: [{ type: 'plain', to: { kind: 'Group', id: '0' } }],
    });
  });

  it('writes "last Sunday" as Occurrence -1 (W. Europe)', () => {
    const group = timeZoneDefinitionFor('W. Europe Standard Time', 2024)!.transitionsGroups![0];
    expect(
      group.transitions.map((t) => (t.type === 'recurringDay' ? t.occurrence : t.type)),
    ).toEqual([-1, -1]);
  });

  it('writes a zone without DST as one Standard period and a lone Transition (India)', () => {
    expect(timeZoneDefinitionFor('India Standard Time', 2024)).toEqual({
      id: 'India Standard Time',
      name: 'India Standard Time',
      periods: [{ id: 'Std', name: 'Standard', biasMinutes: -330 }],
      transitionsGroups: [
        { id: '0', transitions: [{ type: 'plain', to: { kind: 'Period', id: 'Std' } }] },
      ],
      transitions: [{ type: 'plain', to: { kind: 'Group', id: '0' } }],
    });
  });

  it('answers only Windows ids (GetServerTimeZones Ids), spelled as CLDR does', () => {
    expect(timeZoneDefinitionFor('Europe/Berlin', 2024)).toBeUndefined();
    expect(timeZoneDefinitionFor('romance standard time', 2024)?.id).toBe('Romance Standard Time');
  });

  it('reads back, by us and by exchangelib, as the IANA zone, for every Windows zone', () => {
    const failures: string[] = [];
    for (const id of windowsZoneIds()) {
      const definition = timeZoneDefinitionFor(id, 2024)!;
      const ours = zoneFromTimeZoneDefinition(definition);
      const asExchangelibSendsIt = zoneFromSerializableTimeZone(exchangelibStdAndDst(definition));
      for (const [who, zone] of [
        ['zoneFromTimeZoneDefinition', ours],
        ['exchangelib body TimeZone', asExchangelibSendsIt],
      ] as const) {
        const wrong = zone === undefined ? ['unusable'] : disagreements(zone, id, 2024);
        if (wrong.length > 0) failures.push(`${id} via ${who}: ${wrong.slice(0, 3).join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
