import { parseStringPromise } from 'xml2js';

/**
 * The element order and namespaces of EWS responses as the Exchange schema (messages.xsd,
 * types.xsd) declares them and as docs/protocol.md section 5 describes them: the parts the strict
 * clients check (the .NET Managed API reads each element by namespace and in sequence order).
 * Written from the schema, independently of the relay's renderer, so a renderer that swaps two
 * elements or puts one in the wrong namespace fails here even if a lenient client would cope.
 */

const S = 'http://schemas.xmlsoap.org/soap/envelope/';
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const E = 'http://schemas.microsoft.com/exchange/services/2006/errors';

/** One particle of an xs:sequence: `name` in `ns`, occurring min..max times. */
type Particle = readonly [ns: string, name: string, min: number, max: number];
/** An xs:choice repeated min..max times (the transition elements). */
type Choice = { readonly choice: readonly (readonly [string, string])[]; min: number; max: number };
type Content = readonly (Particle | Choice)[] | 'text' | 'any';

const MANY = Infinity;

const RESPONSE_MESSAGE: Particle[] = [
  [M, 'MessageText', 0, 1],
  [M, 'ResponseCode', 0, 1],
  [M, 'DescriptiveLinkKey', 0, 1],
  [M, 'MessageXml', 0, 1],
];

const TRANSITION_KINDS: readonly (readonly [string, string])[] = [
  [T, 'Transition'],
  [T, 'AbsoluteDateTransition'],
  [T, 'RecurringDayTransition'],
  [T, 'RecurringDateTransition'],
];

const TIME_ZONE_TIME: Particle[] = [
  [T, 'Bias', 1, 1],
  [T, 'Time', 1, 1],
  [T, 'DayOrder', 1, 1],
  [T, 'Month', 1, 1],
  [T, 'DayOfWeek', 1, 1],
  [T, 'Year', 0, 1],
];

/** EmailAddressType (types.xsd), as t:Address of a room list and t:Id of a room. */
const EMAIL_ADDRESS: Particle[] = [
  [T, 'Name', 0, 1],
  [T, 'EmailAddress', 0, 1],
  [T, 'RoutingType', 0, 1],
  [T, 'MailboxType', 0, 1],
  [T, 'ItemId', 0, 1],
  [T, 'OriginalDisplayName', 0, 1],
];

/** Content models by `{ns}local`. Elements not listed must be leaves with text only. */
const MODELS: Readonly<Record<string, Content>> = {
  [`{${S}}Envelope`]: [
    [S, 'Header', 0, 1],
    [S, 'Body', 1, 1],
  ],
  [`{${S}}Header`]: [[T, 'ServerVersionInfo', 1, 1]],
  [`{${S}}Fault`]: [
    ['', 'faultcode', 1, 1],
    ['', 'faultstring', 1, 1],
    ['', 'faultactor', 0, 1],
    ['', 'detail', 0, 1],
  ],
  [`{}detail`]: [
    [E, 'ResponseCode', 1, 1],
    [E, 'Message', 1, 1],
    [E, 'MessageXml', 0, 1],
  ],
  [`{${E}}MessageXml`]: 'any',
  [`{${M}}MessageXml`]: 'any',
  [`{${M}}GetUserAvailabilityResponse`]: [
    [M, 'FreeBusyResponseArray', 0, 1],
    [M, 'SuggestionsResponse', 0, 1],
  ],
  [`{${M}}FreeBusyResponseArray`]: [[M, 'FreeBusyResponse', 0, MANY]],
  [`{${M}}FreeBusyResponse`]: [
    [M, 'ResponseMessage', 0, 1],
    [M, 'FreeBusyView', 0, 1],
  ],
  [`{${M}}ResponseMessage`]: RESPONSE_MESSAGE,
  [`{${M}}SuggestionsResponse`]: [
    [M, 'ResponseMessage', 0, 1],
    [M, 'SuggestionDayResultArray', 0, 1],
  ],
  [`{${M}}FreeBusyView`]: [
    [T, 'FreeBusyViewType', 1, 1],
    [T, 'MergedFreeBusy', 0, 1],
    [T, 'CalendarEventArray', 0, 1],
    [T, 'WorkingHours', 0, 1],
  ],
  [`{${T}}CalendarEventArray`]: [[T, 'CalendarEvent', 0, MANY]],
  [`{${T}}CalendarEvent`]: [
    [T, 'StartTime', 1, 1],
    [T, 'EndTime', 1, 1],
    [T, 'BusyType', 1, 1],
    [T, 'CalendarEventDetails', 0, 1],
  ],
  [`{${T}}CalendarEventDetails`]: [
    [T, 'ID', 0, 1],
    [T, 'Subject', 0, 1],
    [T, 'Location', 0, 1],
    [T, 'IsMeeting', 1, 1],
    [T, 'IsRecurring', 1, 1],
    [T, 'IsException', 1, 1],
    [T, 'IsReminderSet', 1, 1],
    [T, 'IsPrivate', 1, 1],
  ],
  [`{${T}}WorkingHours`]: [
    [T, 'TimeZone', 1, 1],
    // Never empty: the .NET client indexes [0] (docs/protocol.md 5).
    [T, 'WorkingPeriodArray', 1, 1],
  ],
  [`{${T}}TimeZone`]: [
    [T, 'Bias', 1, 1],
    [T, 'StandardTime', 1, 1],
    [T, 'DaylightTime', 1, 1],
  ],
  [`{${T}}StandardTime`]: TIME_ZONE_TIME,
  [`{${T}}DaylightTime`]: TIME_ZONE_TIME,
  [`{${T}}WorkingPeriodArray`]: [[T, 'WorkingPeriod', 1, MANY]],
  [`{${T}}WorkingPeriod`]: [
    [T, 'DayOfWeek', 1, 1],
    [T, 'StartTimeInMinutes', 1, 1],
    [T, 'EndTimeInMinutes', 1, 1],
  ],
  // GetRoomListsResponseMessageType and GetRoomsResponseMessageType extend ResponseMessageType
  // and are the response elements themselves (no ResponseMessages wrapper).
  [`{${M}}GetRoomListsResponse`]: [...RESPONSE_MESSAGE, [M, 'RoomLists', 0, 1]],
  [`{${M}}RoomLists`]: [[T, 'Address', 0, MANY]],
  [`{${M}}GetRoomsResponse`]: [...RESPONSE_MESSAGE, [M, 'Rooms', 0, 1]],
  [`{${M}}Rooms`]: [[T, 'Room', 0, MANY]],
  [`{${T}}Room`]: [[T, 'Id', 0, 1]],
  [`{${T}}Address`]: EMAIL_ADDRESS,
  [`{${T}}Id`]: EMAIL_ADDRESS,
  [`{${M}}GetServerTimeZonesResponse`]: [[M, 'ResponseMessages', 1, 1]],
  [`{${M}}ResponseMessages`]: [[M, 'GetServerTimeZonesResponseMessage', 1, MANY]],
  [`{${M}}GetServerTimeZonesResponseMessage`]: [
    ...RESPONSE_MESSAGE,
    [M, 'TimeZoneDefinitions', 0, 1],
  ],
  [`{${M}}TimeZoneDefinitions`]: [[T, 'TimeZoneDefinition', 0, MANY]],
  [`{${T}}TimeZoneDefinition`]: [
    [T, 'Periods', 0, 1],
    [T, 'TransitionsGroups', 0, 1],
    [T, 'Transitions', 0, 1],
  ],
  [`{${T}}Periods`]: [[T, 'Period', 1, MANY]],
  [`{${T}}TransitionsGroups`]: [[T, 'TransitionsGroup', 1, MANY]],
  [`{${T}}TransitionsGroup`]: [{ choice: TRANSITION_KINDS, min: 1, max: MANY }],
  [`{${T}}Transitions`]: [{ choice: TRANSITION_KINDS, min: 1, max: MANY }],
  [`{${T}}Transition`]: [[T, 'To', 1, 1]],
  [`{${T}}AbsoluteDateTransition`]: [
    [T, 'To', 1, 1],
    [T, 'DateTime', 1, 1],
  ],
  [`{${T}}RecurringDayTransition`]: [
    [T, 'To', 1, 1],
    [T, 'TimeOffset', 1, 1],
    [T, 'Month', 1, 1],
    [T, 'DayOfWeek', 1, 1],
    [T, 'Occurrence', 1, 1],
  ],
  [`{${T}}RecurringDateTransition`]: [
    [T, 'To', 1, 1],
    [T, 'TimeOffset', 1, 1],
    [T, 'Month', 1, 1],
    [T, 'Day', 1, 1],
  ],
};

/** Body children the relay may answer with. */
const BODY_CHILDREN = new Set([
  `{${M}}GetUserAvailabilityResponse`,
  `{${M}}GetServerTimeZonesResponse`,
  `{${M}}GetRoomListsResponse`,
  `{${M}}GetRoomsResponse`,
  `{${S}}Fault`,
]);

/** A namespace-resolved element, read with xml2js directly (not with the relay's own parser). */
interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly children: readonly XmlElement[];
}

interface Xml2jsNode {
  readonly $ns?: { readonly local: string; readonly uri: string };
  readonly $$?: readonly Xml2jsNode[];
}

function fromXml2js(node: Xml2jsNode): XmlElement {
  return {
    ns: node.$ns?.uri ?? '',
    local: node.$ns?.local ?? '',
    children: (node.$$ ?? []).map(fromXml2js),
  };
}

const keyOf = (e: XmlElement) => `{${e.ns}}${e.local}`;

function elementChildren(e: XmlElement): XmlElement[] {
  return [...e.children];
}

function checkSequence(
  path: string,
  children: XmlElement[],
  model: readonly (Particle | Choice)[],
) {
  const problems: string[] = [];
  let i = 0;
  for (const particle of model) {
    const matches = (c: XmlElement) =>
      'choice' in particle
        ? particle.choice.some(([ns, name]) => c.ns === ns && c.local === name)
        : c.ns === particle[0] && c.local === particle[1];
    let count = 0;
    while (i < children.length && matches(children[i])) {
      count += 1;
      i += 1;
    }
    const [min, max] =
      'choice' in particle ? [particle.min, particle.max] : [particle[2], particle[3]];
    const label = 'choice' in particle ? 'a transition' : `{${particle[0]}}${particle[1]}`;
    if (count < min) problems.push(`${path}: missing ${label} (at child ${i})`);
    if (count > max) problems.push(`${path}: ${label} occurs ${count} times, at most ${max}`);
  }
  if (i < children.length) {
    problems.push(`${path}: unexpected ${keyOf(children[i])} at child ${i}`);
  }
  return problems;
}

function check(e: XmlElement, path: string): string[] {
  const here = `${path}/${e.local}`;
  const children = elementChildren(e);
  if (keyOf(e) === `{${S}}Body`) {
    if (children.length !== 1 || !BODY_CHILDREN.has(keyOf(children[0]))) {
      return [
        `${here}: must hold exactly one response or fault, has ${children.map(keyOf).join(', ')}`,
      ];
    }
    return check(children[0], here);
  }
  const model = MODELS[keyOf(e)];
  if (model === 'any') return [];
  if (model === undefined || model === 'text') {
    return children.length === 0 ? [] : [`${here}: ${keyOf(e)} must hold text only`];
  }
  return [...checkSequence(here, children, model), ...children.flatMap((c) => check(c, here))];
}

/** Every way `xml` departs from the response shapes; empty when it conforms. */
export async function ewsResponseShapeProblems(xml: string): Promise<string[]> {
  const parsed = (await parseStringPromise(xml, {
    xmlns: true,
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitRoot: true,
  })) as Record<string, Xml2jsNode>;
  const root = fromXml2js(Object.values(parsed)[0]);
  if (keyOf(root) !== `{${S}}Envelope`) return [`root is ${keyOf(root)}, not a SOAP Envelope`];
  return check(root, '');
}
