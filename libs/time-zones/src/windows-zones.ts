import { findIana, findWindows, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { BiasTimelineZone } from './bias-timeline-zone';
import { IntlZoneOffsets } from './intl-zone-offsets';
import type { RequesterZone } from './time-zone-types';

// CLDR's windowsZones table (through windows-iana) maps each Windows id to IANA zones per
// territory; territory "001" is the zone Windows itself means (docs/protocol.md 4.1).
const PRIMARY_TERRITORY = '001';

const WINDOWS_IDS: readonly string[] = [...new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName))];
const WINDOWS_IDS_BY_LOWER_CASE = new Map(WINDOWS_IDS.map((id) => [id.toLowerCase(), id]));

/** Every Windows zone id the relay knows (GetServerTimeZones without Ids lists them all). */
export function windowsZoneIds(): string[] {
  return [...WINDOWS_IDS];
}

/**
 * The Windows id as CLDR spells it. Clients are expected to send exact ids, but a trimmed,
 * case-insensitive match costs nothing and spares a fault over "pacific standard time".
 */
export function canonicalWindowsId(id: string): string | undefined {
  return WINDOWS_IDS_BY_LOWER_CASE.get(id.trim().toLowerCase());
}

/** "Pacific Standard Time" -> "America/Los_Angeles" (the "001" entry); undefined if unknown. */
export function ianaNameForWindowsId(id: string): string | undefined {
  const windowsId = canonicalWindowsId(id);
  return windowsId === undefined ? undefined : findIana(windowsId, PRIMARY_TERRITORY)[0];
}

/**
 * "Europe/Berlin" -> "W. Europe Standard Time": for the IANA zone names Graph reports working
 * hours in (docs/protocol.md 6). Names CLDR lists under another spelling (ICU canonicalises
 * "Europe/Kyiv" to "Europe/Kiev", any casing to the proper one) are tried in ICU's form too.
 */
export function windowsIdForIanaName(name: string): string | undefined {
  const direct = findWindows(name.trim())[0];
  if (direct !== undefined) return direct;
  const canonical = intlOffsetsFor(name)?.ianaName;
  return canonical === undefined ? undefined : findWindows(canonical)[0];
}

const MAX_CACHED_SPELLINGS = 1024;
const offsetsByName = new Map<string, IntlZoneOffsets>();
const zonesByIanaName = new Map<string, BiasTimelineZone>();
const zonesByWindowsId = new Map<string, RequesterZone>();

/** One Intl formatter per spelling of a zone name (they are expensive to build). */
function intlOffsetsFor(name: string): IntlZoneOffsets | undefined {
  const key = name.trim();
  let offsets = offsetsByName.get(key);
  if (offsets === undefined) {
    offsets = IntlZoneOffsets.forIanaName(key);
    if (offsets === undefined) return undefined;
    // Keyed by spelling, so bounded only by what Graph sends; a clear now and then is plenty.
    if (offsetsByName.size >= MAX_CACHED_SPELLINGS) offsetsByName.clear();
    offsetsByName.set(key, offsets);
  }
  return offsets;
}

/**
 * The zone an IANA name (any casing or alias ICU accepts) names. One per ICU zone for the whole
 * process: its Intl formatter and each year's changes are worked out once, whichever Windows ids
 * or spellings lead to it.
 */
export function timelineZoneForIanaName(name: string): BiasTimelineZone | undefined {
  const offsets = intlOffsetsFor(name);
  if (offsets === undefined) return undefined;
  let zone = zonesByIanaName.get(offsets.ianaName);
  if (zone === undefined) {
    const source = offsets;
    zone = new BiasTimelineZone(source.ianaName, (year) => source.timelineForUtcYear(year));
    zonesByIanaName.set(source.ianaName, zone);
  }
  return zone;
}

/** The IANA zone behind a Windows id (its primary CLDR mapping). */
export function timelineZoneForWindowsId(id: string): BiasTimelineZone | undefined {
  const ianaName = ianaNameForWindowsId(id);
  return ianaName === undefined ? undefined : timelineZoneForIanaName(ianaName);
}

/**
 * The requester zone of a Windows zone id (TimeZoneContext with an Id only, as
 * ews-javascript-api and exchangelib send it; docs/protocol.md 4.1), e.g. "Pacific Standard Time";
 * undefined if unknown. Logged under the Windows id.
 */
export function zoneFromWindowsId(id: string): RequesterZone | undefined {
  const windowsId = canonicalWindowsId(id);
  if (windowsId === undefined) return undefined;
  let zone = zonesByWindowsId.get(windowsId);
  if (zone === undefined) {
    const timeline = timelineZoneForWindowsId(windowsId);
    if (timeline === undefined) return undefined;
    zone = {
      description: windowsId,
      toUtc: (local) => timeline.toUtc(local),
      toLocal: (utcMs) => timeline.toLocal(utcMs),
    };
    zonesByWindowsId.set(windowsId, zone);
  }
  return zone;
}

/** The requester zone of an IANA zone name ("Europe/Berlin"); undefined if ICU does not know it. */
export function zoneFromIanaName(name: string): RequesterZone | undefined {
  return timelineZoneForIanaName(name);
}
