export type {
  DayOfWeek,
  LocalDateTime,
  RequesterZone,
  SerializableTimeChange,
  SerializableTimeZone,
  TimeZoneDefinition,
  TimeZonePeriod,
  TransitionsGroup,
  ZoneTransition,
  ZoneTransitionTarget,
} from './time-zone-types';
export {
  formatLocalDateTime,
  localDateTimeAsUtcMs,
  parseXsDateTime,
  utcMsAsLocalDateTime,
  type ParsedXsDateTime,
} from './local-date-time';
export { parseXsDurationMinutes } from './xs-duration';
export { zoneFromSerializableTimeZone } from './serializable-time-zone';
export { zoneFromTimeZoneDefinition } from './time-zone-definition';
export { UTC_ZONE } from './utc-zone';
export { DAYS_OF_WEEK } from './weekday-of-month';
export {
  ianaNameForWindowsId,
  windowsIdForIanaName,
  windowsZoneIds,
  zoneFromIanaName,
  zoneFromWindowsId,
} from './windows-zones';
export { serializableTimeZoneFor, timeZoneDefinitionFor } from './zone-rules-from-iana';
