import type { SerializableTimeChange, SerializableTimeZone } from '../src/time-zone-types';

/**
 * docs/protocol.md 4.2 "Rules as Windows expresses them (valid for current years)", as the
 * SerializableTimeZone a client would send, plus the zones the property tests also cover.
 * Spec support only (not part of the relay).
 */
export interface ReferenceZone {
  readonly windowsId: string;
  readonly ianaName: string;
  readonly rules: SerializableTimeZone;
}

function change(
  bias: number,
  time: string,
  dayOrder: number,
  month: number,
): SerializableTimeChange {
  const [hours, minutes] = time.split(':').map(Number);
  return { bias, timeMinutes: hours * 60 + minutes, dayOrder, month, dayOfWeek: 'Sunday' };
}

const NO_DST: SerializableTimeChange = {
  bias: 0,
  timeMinutes: 0,
  dayOrder: 1,
  month: 0,
  dayOfWeek: 'Sunday',
};

export const PACIFIC: ReferenceZone = {
  windowsId: 'Pacific Standard Time',
  ianaName: 'America/Los_Angeles',
  rules: {
    bias: 480,
    standardTime: change(0, '02:00', 1, 11),
    daylightTime: change(-60, '02:00', 2, 3),
  },
};

/** Not in the docs/protocol.md table; same US rules as Pacific. */
export const EASTERN: ReferenceZone = {
  windowsId: 'Eastern Standard Time',
  ianaName: 'America/New_York',
  rules: {
    bias: 300,
    standardTime: change(0, '02:00', 1, 11),
    daylightTime: change(-60, '02:00', 2, 3),
  },
};

export const W_EUROPE: ReferenceZone = {
  windowsId: 'W. Europe Standard Time',
  ianaName: 'Europe/Berlin',
  rules: {
    bias: -60,
    standardTime: change(0, '03:00', 5, 10),
    daylightTime: change(-60, '02:00', 5, 3),
  },
};

export const GMT: ReferenceZone = {
  windowsId: 'GMT Standard Time',
  ianaName: 'Europe/London',
  rules: {
    bias: 0,
    standardTime: change(0, '02:00', 5, 10),
    daylightTime: change(-60, '01:00', 5, 3),
  },
};

export const AUS_EASTERN: ReferenceZone = {
  windowsId: 'AUS Eastern Standard Time',
  ianaName: 'Australia/Sydney',
  rules: {
    bias: -600,
    standardTime: change(0, '03:00', 1, 4),
    daylightTime: change(-60, '02:00', 1, 10),
  },
};

export const NEW_ZEALAND: ReferenceZone = {
  windowsId: 'New Zealand Standard Time',
  ianaName: 'Pacific/Auckland',
  rules: {
    bias: -720,
    standardTime: change(0, '03:00', 1, 4),
    daylightTime: change(-60, '02:00', 5, 9),
  },
};

export const INDIA: ReferenceZone = {
  windowsId: 'India Standard Time',
  ianaName: 'Asia/Kolkata',
  rules: { bias: -330, standardTime: NO_DST, daylightTime: NO_DST },
};

/**
 * ews-java-api's "UTC" (fixtures/ews/ews-java-api.xml): DST rules in March and October whose
 * biases are all 0, i.e. no DST at all.
 */
export const EWS_JAVA_UTC_DUMMY: ReferenceZone = {
  windowsId: 'UTC',
  ianaName: 'UTC',
  rules: {
    bias: 0,
    standardTime: change(0, '02:00', 1, 3),
    daylightTime: change(0, '02:00', 1, 10),
  },
};

export const REFERENCE_ZONES: readonly ReferenceZone[] = [
  PACIFIC,
  EASTERN,
  W_EUROPE,
  GMT,
  AUS_EASTERN,
  NEW_ZEALAND,
  INDIA,
  EWS_JAVA_UTC_DUMMY,
];
