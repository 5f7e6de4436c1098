import type {
  DayOfWeek,
  WorkingHours,
  WorkingHoursZone,
  ZoneTransitionRule,
} from '@app/availability';
import { parseTimeOfDay } from './graph-date-time';
import type {
  GraphTimeZoneOffset,
  GraphWorkingHours,
  GraphWorkingHoursTimeZone,
} from './graph-schedule-wire';

const DAYS: Readonly<Record<string, DayOfWeek>> = {
  sunday: 'Sunday',
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
};

const WEEK_ORDER: readonly DayOfWeek[] = Object.values(DAYS);

export function dayOfWeekFromGraph(value: unknown): DayOfWeek | undefined {
  return typeof value === 'string' ? DAYS[value.trim().toLowerCase()] : undefined;
}

/**
 * Graph's `workingHours` of one mailbox -> the neutral model, or undefined when there is nothing
 * usable (no days, unreadable times, no zone). The EWS renderer omits WorkingHours then, which
 * clients handle, whereas an empty WorkingPeriodArray crashes the .NET client (docs/protocol.md 5).
 * Times stay in the owner's zone: EWS sends working hours unconverted.
 */
export function mapWorkingHours(
  workingHours: GraphWorkingHours | null | undefined,
): WorkingHours | undefined {
  if (typeof workingHours !== 'object' || workingHours === null) return undefined;
  const days = Array.isArray(workingHours.daysOfWeek)
    ? (workingHours.daysOfWeek as unknown[]).map(dayOfWeekFromGraph)
    : [];
  const daysOfWeek = WEEK_ORDER.filter((day) => days.includes(day));
  const startMinutes = parseTimeOfDay(workingHours.startTime);
  let endMinutes = parseTimeOfDay(workingHours.endTime);
  const zone = mapWorkingHoursZone(workingHours.timeZone);
  if (daysOfWeek.length === 0 || startMinutes === undefined || endMinutes === undefined) {
    return undefined;
  }
  if (zone === undefined) return undefined;
  // Outlook writes a working day that runs to midnight as ending at 00:00.
  if (endMinutes === 0) endMinutes = 24 * 60;
  if (endMinutes <= startMinutes) return undefined;
  return { daysOfWeek, startMinutes, endMinutes, zone };
}

/**
 * A named zone keeps its name (Windows "Pacific Standard Time" or IANA "Europe/Berlin"; the EWS
 * layer resolves either). A customTimeZone carries biases in the Windows sign (UTC = local +
 * bias, minutes; docs/protocol.md section 6), which is also the model's, so they pass through.
 */
export function mapWorkingHoursZone(
  zone: GraphWorkingHoursTimeZone | null | undefined,
): WorkingHoursZone | undefined {
  if (typeof zone !== 'object' || zone === null) return undefined;
  const name =
    typeof zone.name === 'string' && zone.name.trim() !== '' ? zone.name.trim() : undefined;
  const odataType = typeof zone['@odata.type'] === 'string' ? zone['@odata.type'] : '';
  const isCustom = /customTimeZone$/i.test(odataType) || typeof zone.bias === 'number';
  if (!isCustom) return name === undefined ? undefined : { kind: 'named', name };
  if (typeof zone.bias !== 'number' || !Number.isFinite(zone.bias)) return undefined;
  const standard = transitionRule(zone.standardOffset);
  const daylight = transitionRule(zone.daylightOffset);
  const daylightBias = zone.daylightOffset?.daylightBias;
  return {
    kind: 'custom',
    ...(name !== undefined ? { name } : {}),
    bias: zone.bias,
    standard: { ...standard, bias: 0 },
    daylight: {
      ...daylight,
      bias: typeof daylightBias === 'number' && Number.isFinite(daylightBias) ? daylightBias : 0,
    },
  };
}

/** A yearly rule; a missing or unreadable one becomes "no transition" (month 0). */
function transitionRule(offset: GraphTimeZoneOffset | null | undefined): ZoneTransitionRule {
  const none: ZoneTransitionRule = { timeMinutes: 0, dayOrder: 1, month: 0, dayOfWeek: 'Sunday' };
  if (typeof offset !== 'object' || offset === null) return none;
  const month = integerIn(offset.month, 0, 12);
  const dayOrder = integerIn(offset.dayOccurrence, 1, 5);
  const dayOfWeek = dayOfWeekFromGraph(offset.dayOfWeek);
  const timeMinutes = parseTimeOfDay(offset.time);
  if (month === undefined || month === 0) return none;
  if (dayOrder === undefined || dayOfWeek === undefined || timeMinutes === undefined) return none;
  // Graph's `year` is documented as a recurrence ("0 = every year"), not EWS's absolute-date
  // Year, and the service only ever sends 0: the rule is read as a yearly one.
  return { timeMinutes, dayOrder, month, dayOfWeek };
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}
