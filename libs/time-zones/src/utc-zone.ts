import { localDateTimeAsUtcMs, utcMsAsLocalDateTime } from './local-date-time';
import type { RequesterZone } from './time-zone-types';

/**
 * UTC: the zone of a request that names none (docs/protocol.md 4.1: body TimeZone, then
 * TimeZoneContext, then UTC), and what Google Interop appears to use.
 */
export const UTC_ZONE: RequesterZone = Object.freeze({
  description: 'UTC',
  toUtc: localDateTimeAsUtcMs,
  toLocal: utcMsAsLocalDateTime,
});
