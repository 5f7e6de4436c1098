import type { EmulatedEvent } from '../../test/graph-emulator/emulated-calendar';

/**
 * What the benchmark asks for and what the emulated calendars hold. Deterministic (a seeded
 * generator), so every run and every machine loads the relay with the same bytes.
 */

export const DOMAIN = 'contoso.com';
/** Monday 4 March 2024: the windows cross the US spring-forward change (10 March). */
export const WINDOW_START = '2024-03-04T00:00:00';
const DAY_MS = 86_400_000;
/** Calendars cover this much before and after the longest window. */
const CALENDAR_FROM_MS = Date.parse('2024-02-26T00:00:00Z');
const CALENDAR_DAYS = 56;

export function mailboxAddress(i: number): string {
  return `user${String(i).padStart(3, '0')}@${DOMAIN}`;
}

/** mulberry32: a small seeded generator, enough for reproducible calendars. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'Weekly sync',
  '1:1 with manager',
  'Design review',
  'Q3 planning & budget <draft>',
  'Customer call: Fabrikam',
  'Lunch',
  'Interview loop',
  'Sprint retro',
  'Focus time',
  'Standup',
];
const LOCATIONS = ['Room 4.12', 'Microsoft Teams Meeting', 'Café "Central"', '', 'Building 7'];

/**
 * A working calendar: 6 to 10 events on a weekday between 08:00 and 18:00 Pacific (16:00 to
 * 02:00 UTC), 0 to 2 at weekends; 30, 45, 60 or 90 minutes, some overlapping; mostly busy, some
 * tentative, an occasional OOF or working elsewhere; one in eight private.
 */
export function calendarFor(index: number): EmulatedEvent[] {
  const random = seeded(0x5eed + index);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const events: EmulatedEvent[] = [];
  for (let day = 0; day < CALENDAR_DAYS; day++) {
    const dayMs = CALENDAR_FROM_MS + day * DAY_MS;
    const weekday = new Date(dayMs).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const count = weekend ? Math.floor(random() * 3) : 6 + Math.floor(random() * 5);
    for (let n = 0; n < count; n++) {
      // Working day 16:00Z..02:00Z in 15-minute steps.
      const startMs = dayMs + 16 * 3_600_000 + Math.floor(random() * 36) * 900_000;
      const endMs = startMs + pick([30, 45, 60, 60, 90]) * 60_000;
      const roll = random();
      const status =
        roll < 0.7
          ? pick(['busy', 'Busy'])
          : roll < 0.88
            ? 'tentative'
            : roll < 0.95
              ? 'workingElsewhere'
              : 'oof';
      events.push({
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        status,
        subject: pick(SUBJECTS),
        location: pick(LOCATIONS),
        isPrivate: random() < 0.125,
        isMeeting: random() < 0.8,
        isRecurring: random() < 0.5,
        isReminderSet: true,
      });
    }
  }
  return events;
}

/** Pacific time as the EWS Managed API and ews-javascript-api describe it in the body. */
const PACIFIC_ZONE =
  '<ns2:TimeZone><ns2:Bias>480</ns2:Bias>' +
  '<ns2:StandardTime><ns2:Bias>0</ns2:Bias><ns2:Time>02:00:00</ns2:Time><ns2:DayOrder>1</ns2:DayOrder><ns2:Month>11</ns2:Month><ns2:DayOfWeek>Sunday</ns2:DayOfWeek></ns2:StandardTime>' +
  '<ns2:DaylightTime><ns2:Bias>-60</ns2:Bias><ns2:Time>02:00:00</ns2:Time><ns2:DayOrder>2</ns2:DayOrder><ns2:Month>3</ns2:Month><ns2:DayOfWeek>Sunday</ns2:DayOfWeek></ns2:DaylightTime>' +
  '</ns2:TimeZone>';

/**
 * `count` requests for the same mailboxes and window length whose windows start 30 minutes
 * apart: the relay joins identical lookups in flight (and caches them), so a load of one
 * identical body would measure a fraction of the Graph calls real, varied traffic costs.
 */
export function distinctAvailabilityRequests(
  count: number,
  mailboxes: number,
  days: number,
  view: string,
): string[] {
  return Array.from({ length: count }, (_, k) =>
    availabilityRequestBody(mailboxes, days, view, 30 * k),
  );
}

/**
 * A GetUserAvailabilityRequest in Google Calendar Interop's shape (SOAP-ENV/ns2/ns3 prefixes,
 * ExchangeImpersonation header, as in test/fixtures/ews/google-interop.xml), with the requester
 * in Pacific time so that every event goes through the zone conversion.
 */
export function availabilityRequestBody(
  mailboxes: number,
  days: number,
  view: string,
  shiftMinutes = 0,
): string {
  const startMs = Date.parse(`${WINDOW_START}Z`) + shiftMinutes * 60_000;
  const start = new Date(startMs).toISOString().slice(0, 19);
  const end = new Date(startMs + days * DAY_MS).toISOString().slice(0, 19);
  let data = '';
  for (let i = 0; i < mailboxes; i++) {
    data +=
      `<ns2:MailboxData><ns2:Email><ns2:Address>${mailboxAddress(i)}</ns2:Address></ns2:Email>` +
      '<ns2:AttendeeType>Required</ns2:AttendeeType></ns2:MailboxData>';
  }
  const ns =
    'xmlns:ns2="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:ns3="http://schemas.microsoft.com/exchange/services/2006/messages"';
  return (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<SOAP-ENV:Header><ns2:RequestServerVersion ${ns} Version="Exchange2010"/>` +
    `<ns2:ExchangeImpersonation ${ns}><ns2:ConnectingSID><ns2:PrimarySmtpAddress>interop-role@${DOMAIN}</ns2:PrimarySmtpAddress></ns2:ConnectingSID></ns2:ExchangeImpersonation></SOAP-ENV:Header>` +
    `<SOAP-ENV:Body><ns3:GetUserAvailabilityRequest ${ns}>` +
    PACIFIC_ZONE +
    `<ns3:MailboxDataArray>${data}</ns3:MailboxDataArray>` +
    `<ns2:FreeBusyViewOptions><ns2:TimeWindow><ns2:StartTime>${start}</ns2:StartTime><ns2:EndTime>${end}</ns2:EndTime></ns2:TimeWindow>` +
    `<ns2:MergedFreeBusyIntervalInMinutes>30</ns2:MergedFreeBusyIntervalInMinutes><ns2:RequestedView>${view}</ns2:RequestedView></ns2:FreeBusyViewOptions>` +
    '</ns3:GetUserAvailabilityRequest></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}
