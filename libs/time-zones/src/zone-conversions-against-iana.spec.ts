import fc from 'fast-check';
import { intlToUtc, intlTransitions, intlWallClock } from '../test/intl-reference';
import { localDateTimeAsUtcMs, utcMsAsLocalDateTime } from './local-date-time';
import {
  AUS_EASTERN_DEFINITION,
  pacificDefinitionFromFixture,
  W_EUROPE_DEFINITION,
} from '../test/managed-api-definitions';
import {
  AUS_EASTERN,
  NEW_ZEALAND,
  PACIFIC,
  REFERENCE_ZONES,
  type ReferenceZone,
  W_EUROPE,
} from '../test/protocol-rules-table';
import { zoneFromSerializableTimeZone } from './serializable-time-zone';
import { zoneFromTimeZoneDefinition } from './time-zone-definition';
import type { LocalDateTime, RequesterZone, TimeZoneDefinition } from './time-zone-types';
import { zoneFromWindowsId } from './windows-zones';

// docs/protocol.md 4.2: "Check every conversion against the IANA database at many instants, not
// just these." The reference is Intl (ICU's IANA data), read independently of the code under
// test (libs/time-zones/test/intl-reference.ts).

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

interface Route {
  readonly name: string;
  readonly zoneOf: (zone: ReferenceZone) => RequesterZone;
  /** The years the route is expected to match IANA in. */
  readonly fromYear: number;
}

const ROUTES: readonly Route[] = [
  {
    // The docs/protocol.md table holds the rules "valid for current years": US rules since 2007,
    // Australia's since 2008.
    name: 'SerializableTimeZone from the protocol.md table',
    zoneOf: (zone) => zoneFromSerializableTimeZone(zone.rules),
    fromYear: 2008,
  },
  {
    name: 'Windows id',
    zoneOf: (zone) => zoneFromWindowsId(zone.windowsId)!,
    fromYear: 2000,
  },
];
const TO_YEAR = 2037;

const yearStart = (year: number) => Date.UTC(year, 0, 1);

/** Any instant (ms precision) within the years. */
const instantIn = (fromYear: number) =>
  fc.integer({ min: yearStart(fromYear), max: yearStart(TO_YEAR + 1) - 1 });

/**
 * Wall clocks within three hours of one of the zone's offset changes, at minute resolution, so
 * that gap and overlap times come up often; plain random wall clocks for zones without any.
 */
function wallClockNearChanges(ianaName: string, fromYear: number): fc.Arbitrary<LocalDateTime> {
  const random = instantIn(fromYear).map((t) => utcMsAsLocalDateTime(t));
  const hasChanges = intlTransitions(ianaName, 2024).length > 0;
  if (!hasChanges) return random;
  const nearChange = fc
    .record({
      year: fc.integer({ min: fromYear, max: TO_YEAR }),
      which: fc.nat(),
      minutes: fc.integer({ min: -180, max: 180 }),
    })
    .map(({ year, which, minutes }) => {
      const changes = intlTransitions(ianaName, year);
      const change = changes[which % changes.length];
      // Wall-clock arithmetic: start from the wall clock just before the change and move the
      // hands, so times the clock skips are generated too.
      const before = localDateTimeAsUtcMs(intlWallClock(ianaName, change - 1));
      return utcMsAsLocalDateTime(before + 1 + minutes * MINUTE_MS);
    });
  return fc.oneof(nearChange, random);
}

const sameWallClock = (a: LocalDateTime, b: LocalDateTime) =>
  JSON.stringify(a) === JSON.stringify(b);

describe.each(ROUTES)('$name agrees with the IANA database', ({ zoneOf, fromYear }) => {
  describe.each(REFERENCE_ZONES.map((z) => [z.windowsId, z]))('%s', (_id, reference) => {
    const zone = zoneOf(reference);
    const iana = reference.ianaName;

    it(`toLocal matches Intl for instants ${fromYear}..${TO_YEAR}`, () => {
      fc.assert(
        fc.property(instantIn(fromYear), (t) => {
          expect(zone.toLocal(t)).toEqual(intlWallClock(iana, t));
        }),
        { numRuns: 120 },
      );
    });

    it('toUtc matches Intl, gap (standard bias) and overlap (earlier instant) included', () => {
      fc.assert(
        fc.property(wallClockNearChanges(iana, fromYear), (local) => {
          expect(new Date(zone.toUtc(local)).toISOString()).toBe(
            new Date(intlToUtc(iana, local)).toISOString(),
          );
        }),
        { numRuns: 80 },
      );
    });

    it('toUtc(toLocal(x)) is x, except in the repeated hour where it is the first pass', () => {
      fc.assert(
        fc.property(instantIn(fromYear), (t) => {
          const local = zone.toLocal(t);
          const back = zone.toUtc(local);
          if (back !== t) {
            // x is in the second pass of a fall-back hour: same wall clock, one DST delta before.
            expect(back).toBe(t - HOUR_MS);
            expect(sameWallClock(zone.toLocal(back), local)).toBe(true);
          }
        }),
        // Also probe the hour after each change, where the repeated hour is.
        {
          numRuns: 120,
          examples: intlTransitions(iana, 2024).map((change) => [change + HOUR_MS / 2]),
        },
      );
    });
  });
});

/** The routes a requester has (docs/protocol.md 4.1), for explicit gap/overlap examples. */
const GAP_OVERLAP_ROUTES: ReadonlyArray<
  [string, (zone: ReferenceZone, definition?: TimeZoneDefinition) => RequesterZone | undefined]
> = [
  ['SerializableTimeZone', (zone) => zoneFromSerializableTimeZone(zone.rules)],
  [
    'TimeZoneDefinition',
    (_zone, definition) => definition && zoneFromTimeZoneDefinition(definition),
  ],
  ['Windows id', (zone) => zoneFromWindowsId(zone.windowsId)],
];

const wall = (iso: string): LocalDateTime => utcMsAsLocalDateTime(Date.parse(`${iso}Z`));

describe.each(GAP_OVERLAP_ROUTES)('gap and overlap through the %s route', (_route, zoneOf) => {
  it.each([
    // [zone, definition, skipped wall clock -> instant, repeated wall clock -> instant]
    [
      PACIFIC,
      pacificDefinitionFromFixture(),
      '2024-03-10T02:30:00',
      '2024-03-10T10:30:00Z',
      '2024-11-03T01:30:00',
      '2024-11-03T08:30:00Z',
    ],
    [
      W_EUROPE,
      W_EUROPE_DEFINITION,
      '2024-03-31T02:30:00',
      '2024-03-31T01:30:00Z',
      '2024-10-27T02:30:00',
      '2024-10-27T00:30:00Z',
    ],
    [
      AUS_EASTERN,
      AUS_EASTERN_DEFINITION,
      '2024-10-06T02:30:00',
      '2024-10-05T16:30:00Z',
      '2024-04-07T02:30:00',
      '2024-04-06T15:30:00Z',
    ],
    [
      NEW_ZEALAND,
      undefined,
      '2024-09-29T02:30:00',
      '2024-09-28T14:30:00Z',
      '2024-04-07T02:30:00',
      '2024-04-06T13:30:00Z',
    ],
  ] as const)(
    '%#: a skipped time is read with the standard bias, a repeated one is the daylight instant',
    (reference, definition, skipped, skippedUtc, repeated, repeatedUtc) => {
      const zone = zoneOf(reference, definition);
      if (zone === undefined) return; // no hand-written definition for this zone
      expect(new Date(zone.toUtc(wall(skipped))).toISOString()).toBe(
        new Date(skippedUtc).toISOString(),
      );
      expect(new Date(zone.toUtc(wall(repeated))).toISOString()).toBe(
        new Date(repeatedUtc).toISOString(),
      );
      // The skipped time comes out an hour later on the clock; the repeated one unchanged.
      expect(zone.toLocal(zone.toUtc(wall(skipped)))).toEqual(
        utcMsAsLocalDateTime(Date.parse(`${skipped}Z`) + HOUR_MS),
      );
      expect(zone.toLocal(zone.toUtc(wall(repeated)))).toEqual(wall(repeated));
    },
  );
});
