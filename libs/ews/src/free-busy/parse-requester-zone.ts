import {
  DAYS_OF_WEEK,
  parseXsDateTime,
  parseXsDurationMinutes,
  UTC_ZONE,
  zoneFromSerializableTimeZone,
  zoneFromTimeZoneDefinition,
  zoneFromWindowsId,
  type DayOfWeek,
  type RequesterZone,
  type SerializableTimeChange,
  type SerializableTimeZone,
  type TimeZoneDefinition,
  type TimeZonePeriod,
  type TransitionsGroup,
  type ZoneTransition,
} from '@app/time-zones';
import { EwsFault } from '../ews-fault';
import { TYPES_NS } from '../ews-namespaces';
import { childElement, childElements, childText, type XmlElement } from '../xml/xml-element';

function zoneFault(detail: string): EwsFault {
  return new EwsFault('ErrorTimeZone', `The time zone in the request is invalid: ${detail}`);
}

function integerChild(
  parent: XmlElement,
  local: string,
  what: string,
  required = true,
): number | undefined {
  const text = childText(parent, TYPES_NS, local);
  if (text === undefined || text === '') {
    if (required) throw zoneFault(`${what} ${local} is missing.`);
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(text)) throw zoneFault(`${what} ${local} "${text}" is not an integer.`);
  return Number(text);
}

function dayOfWeek(text: string | undefined, what: string): DayOfWeek {
  const day = DAYS_OF_WEEK.find((d) => d === text);
  if (day === undefined) throw zoneFault(`${what} DayOfWeek "${text ?? ''}" is not a day name.`);
  return day;
}

/** "hh:mm:ss" -> minutes since midnight. */
function timeOfDayMinutes(text: string | undefined, what: string): number {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text ?? '');
  if (match === null || Number(match[1]) > 23 || Number(match[2]) > 59) {
    throw zoneFault(`${what} Time "${text ?? ''}" is not hh:mm:ss.`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

function readTimeChange(
  parent: XmlElement,
  local: 'StandardTime' | 'DaylightTime',
): SerializableTimeChange {
  const element = childElement(parent, TYPES_NS, local);
  if (element === undefined) throw zoneFault(`${local} is missing.`);
  const month = integerChild(element, 'Month', local)!;
  const dayOrder = integerChild(element, 'DayOrder', local)!;
  if (month < 0 || month > 12) throw zoneFault(`${local} Month ${month} is not 0..12.`);
  const year = integerChild(element, 'Year', local, false);
  // Month 0 means "no rule": the remaining fields are placeholders (Google sends DayOrder 0).
  if (month !== 0 && year === undefined && (dayOrder < 1 || dayOrder > 5)) {
    throw zoneFault(`${local} DayOrder ${dayOrder} is not 1..5.`);
  }
  return {
    bias: integerChild(element, 'Bias', local)!,
    timeMinutes: timeOfDayMinutes(childText(element, TYPES_NS, 'Time'), local),
    dayOrder,
    month,
    dayOfWeek: dayOfWeek(childText(element, TYPES_NS, 'DayOfWeek'), local),
    ...(year === undefined ? {} : { year }),
  };
}

/** t:TimeZone (SerializableTimeZone) in the GetUserAvailabilityRequest body. */
export function readSerializableTimeZone(element: XmlElement): SerializableTimeZone {
  return {
    bias: integerChild(element, 'Bias', 'TimeZone')!,
    standardTime: readTimeChange(element, 'StandardTime'),
    daylightTime: readTimeChange(element, 'DaylightTime'),
  };
}

function readTransitionTarget(element: XmlElement): ZoneTransition['to'] {
  const to = childElement(element, TYPES_NS, 'To');
  const kind = to?.attributes.get('Kind');
  if (to === undefined || (kind !== 'Period' && kind !== 'Group')) {
    throw zoneFault(`${element.local} has no To element with Kind Period or Group.`);
  }
  return { kind, id: to.text.trim() };
}

function durationChild(element: XmlElement, local: string): number {
  const text = childText(element, TYPES_NS, local);
  const minutes = text === undefined ? undefined : parseXsDurationMinutes(text);
  if (minutes === undefined)
    throw zoneFault(`${element.local} ${local} "${text ?? ''}" is not a duration.`);
  return minutes;
}

function readTransition(element: XmlElement): ZoneTransition | undefined {
  switch (element.local) {
    case 'Transition':
      return { type: 'plain', to: readTransitionTarget(element) };
    case 'AbsoluteDateTransition': {
      const text = childText(element, TYPES_NS, 'DateTime') ?? '';
      const parsed = parseXsDateTime(text);
      if (parsed === undefined)
        throw zoneFault(`AbsoluteDateTransition DateTime "${text}" is invalid.`);
      return { type: 'absolute', to: readTransitionTarget(element), dateTime: parsed.local };
    }
    case 'RecurringDayTransition':
      return {
        type: 'recurringDay',
        to: readTransitionTarget(element),
        timeOffsetMinutes: durationChild(element, 'TimeOffset'),
        month: integerChild(element, 'Month', 'RecurringDayTransition')!,
        dayOfWeek: dayOfWeek(childText(element, TYPES_NS, 'DayOfWeek'), 'RecurringDayTransition'),
        occurrence: integerChild(element, 'Occurrence', 'RecurringDayTransition')!,
      };
    case 'RecurringDateTransition':
      return {
        type: 'recurringDate',
        to: readTransitionTarget(element),
        timeOffsetMinutes: durationChild(element, 'TimeOffset'),
        month: integerChild(element, 'Month', 'RecurringDateTransition')!,
        day: integerChild(element, 'Day', 'RecurringDateTransition')!,
      };
    default:
      return undefined;
  }
}

function readTransitions(container: XmlElement): ZoneTransition[] {
  return container.children
    .filter((c) => c.ns === TYPES_NS)
    .map(readTransition)
    .filter((t): t is ZoneTransition => t !== undefined);
}

/** t:TimeZoneDefinition (header TimeZoneContext): Id only, or a full definition. */
export function readTimeZoneDefinition(element: XmlElement): TimeZoneDefinition {
  const periodsElement = childElement(element, TYPES_NS, 'Periods');
  const groupsElement = childElement(element, TYPES_NS, 'TransitionsGroups');
  const transitionsElement = childElement(element, TYPES_NS, 'Transitions');
  const periods: TimeZonePeriod[] | undefined = periodsElement
    ? childElements(periodsElement, TYPES_NS, 'Period').map((p) => {
        const biasText = p.attributes.get('Bias') ?? '';
        const biasMinutes = parseXsDurationMinutes(biasText);
        if (biasMinutes === undefined)
          throw zoneFault(`Period Bias "${biasText}" is not a duration.`);
        return {
          id: p.attributes.get('Id') ?? '',
          name: p.attributes.get('Name') ?? '',
          biasMinutes,
        };
      })
    : undefined;
  const transitionsGroups: TransitionsGroup[] | undefined = groupsElement
    ? childElements(groupsElement, TYPES_NS, 'TransitionsGroup').map((g) => ({
        id: g.attributes.get('Id') ?? '',
        transitions: readTransitions(g),
      }))
    : undefined;
  return {
    id: element.attributes.get('Id'),
    name: element.attributes.get('Name'),
    periods: periods && periods.length > 0 ? periods : undefined,
    transitionsGroups,
    transitions: transitionsElement ? readTransitions(transitionsElement) : undefined,
  };
}

/**
 * The zone the request's naive times are in (docs/protocol.md 4.1): the body t:TimeZone first, then
 * the header's TimeZoneContext (a full definition, else its Windows Id), else UTC. An explicit
 * offset on a dateTime overrides this per value (see parseAvailabilityRequest).
 */
export function readRequesterZone(
  bodyTimeZone: XmlElement | undefined,
  header: XmlElement | undefined,
): RequesterZone {
  if (bodyTimeZone !== undefined) {
    return zoneFromSerializableTimeZone(readSerializableTimeZone(bodyTimeZone));
  }
  const context =
    header === undefined ? undefined : childElement(header, TYPES_NS, 'TimeZoneContext');
  const definitionElement =
    context === undefined ? undefined : childElement(context, TYPES_NS, 'TimeZoneDefinition');
  if (definitionElement === undefined) return UTC_ZONE;
  const definition = readTimeZoneDefinition(definitionElement);
  if (definition.periods !== undefined) {
    const zone = zoneFromTimeZoneDefinition(definition);
    if (zone !== undefined) return zone;
  }
  if (definition.id !== undefined && definition.id !== '') {
    const zone = zoneFromWindowsId(definition.id);
    if (zone !== undefined) return zone;
    throw new EwsFault(
      'ErrorTimeZone',
      `The time zone "${definition.id}" is not known to the relay.`,
    );
  }
  throw zoneFault('the TimeZoneDefinition has neither usable Periods nor an Id.');
}
