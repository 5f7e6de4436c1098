import {
  AUS_EASTERN_DEFINITION,
  pacificDefinitionFromFixture,
  W_EUROPE_DEFINITION,
} from '../test/managed-api-definitions';
import { AUS_EASTERN, PACIFIC, type ReferenceZone, W_EUROPE } from '../test/protocol-rules-table';
import { zoneFromSerializableTimeZone } from './serializable-time-zone';
import { zoneFromTimeZoneDefinition } from './time-zone-definition';
import type { LocalDateTime, RequesterZone, TimeZoneDefinition } from './time-zone-types';
import { zoneFromWindowsId } from './windows-zones';
import { serializableTimeZoneFor, timeZoneDefinitionFor } from './zone-rules-from-iana';

// docs/protocol.md 4.2 "Test vectors (local window -> UTC window)", run through every way a
// requester can name its zone (docs/protocol.md 4.1), plus the rules the relay itself publishes.

const midnight = (year: number, month: number, day: number): LocalDateTime => ({
  year,
  month,
  day,
  hour: 0,
  minute: 0,
  second: 0,
  millisecond: 0,
});
const at = (iso: string) => Date.parse(iso);

interface Vector {
  readonly zone: ReferenceZone;
  readonly definition: () => TimeZoneDefinition;
  readonly start: LocalDateTime;
  readonly end: LocalDateTime;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly hours: number;
}

const VECTORS: readonly Vector[] = [
  {
    zone: PACIFIC,
    definition: pacificDefinitionFromFixture,
    start: midnight(2024, 3, 10),
    end: midnight(2024, 3, 11),
    startUtc: '2024-03-10T08:00:00Z',
    endUtc: '2024-03-11T07:00:00Z',
    hours: 23,
  },
  {
    zone: PACIFIC,
    definition: pacificDefinitionFromFixture,
    start: midnight(2024, 11, 3),
    end: midnight(2024, 11, 4),
    startUtc: '2024-11-03T07:00:00Z',
    endUtc: '2024-11-04T08:00:00Z',
    hours: 25,
  },
  {
    zone: W_EUROPE,
    definition: () => W_EUROPE_DEFINITION,
    start: midnight(2024, 10, 27),
    end: midnight(2024, 10, 28),
    startUtc: '2024-10-26T22:00:00Z',
    endUtc: '2024-10-27T23:00:00Z',
    hours: 25,
  },
  {
    zone: AUS_EASTERN,
    definition: () => AUS_EASTERN_DEFINITION,
    start: midnight(2024, 10, 6),
    end: midnight(2024, 10, 7),
    startUtc: '2024-10-05T14:00:00Z',
    endUtc: '2024-10-06T13:00:00Z',
    hours: 23,
  },
];

const ROUTES: ReadonlyArray<[string, (v: Vector) => RequesterZone | undefined]> = [
  [
    'the body SerializableTimeZone (protocol.md table)',
    (v) => zoneFromSerializableTimeZone(v.zone.rules),
  ],
  [
    'a full header TimeZoneDefinition (Managed API shape)',
    (v) => zoneFromTimeZoneDefinition(v.definition()),
  ],
  [
    'a header TimeZoneDefinition with only an Id (Windows id)',
    (v) => zoneFromWindowsId(v.zone.windowsId),
  ],
  [
    'the SerializableTimeZone the relay derives from IANA',
    (v) => {
      const rules = serializableTimeZoneFor(v.zone.windowsId, 2024);
      return rules && zoneFromSerializableTimeZone(rules);
    },
  ],
  [
    'the GetServerTimeZones definition the relay derives from IANA',
    (v) => {
      const definition = timeZoneDefinitionFor(v.zone.windowsId, 2024);
      return definition && zoneFromTimeZoneDefinition(definition);
    },
  ],
];

describe.each(ROUTES)('protocol.md test vectors through %s', (_route, zoneOf) => {
  it.each(
    VECTORS.map((v) => [`${v.zone.windowsId} ${v.start.year}-${v.start.month}-${v.start.day}`, v]),
  )('%s: the local day maps to the documented UTC window', (_name, vector) => {
    const zone = zoneOf(vector)!;
    expect(zone).toBeDefined();
    const startMs = zone.toUtc(vector.start);
    const endMs = zone.toUtc(vector.end);
    expect(new Date(startMs).toISOString()).toBe(new Date(at(vector.startUtc)).toISOString());
    expect(new Date(endMs).toISOString()).toBe(new Date(at(vector.endUtc)).toISOString());
    // 46 / 50 half-hour slots in MergedFreeBusy for the short and the long day.
    expect((endMs - startMs) / 3_600_000).toBe(vector.hours);
    // Rendering the window back gives the same local midnights.
    expect(zone.toLocal(startMs)).toEqual(vector.start);
    expect(zone.toLocal(endMs)).toEqual(vector.end);
  });
});

describe('the Managed API fixture definition', () => {
  it('is the Pacific zone the fixture names, with the biases from its xs:durations', () => {
    const definition = pacificDefinitionFromFixture();
    expect(definition.id).toBe('Pacific Standard Time');
    expect(definition.periods).toEqual([
      { id: 'Std', name: 'Standard', biasMinutes: 480 },
      { id: 'Dlt/2007', name: 'Daylight', biasMinutes: 420 },
    ]);
  });
});
