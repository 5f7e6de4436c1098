/**
 * GetUserAvailability exactly as Google Calendar Interop sends it (test/fixtures/ews/
 * google-interop.xml, docs/protocol.md section 2): SOAP-ENV/ns2/ns3 prefixes, RequestServerVersion
 * Exchange2010, the role account in ExchangeImpersonation, a UTC body TimeZone, naive times,
 * MergedFreeBusyIntervalInMinutes 30 and the DetailedMerged view. Pure.
 */

const TYPES = 'http://schemas.microsoft.com/exchange/services/2006/types';
const MESSAGES = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const NS = `xmlns:ns2="${TYPES}" xmlns:ns3="${MESSAGES}"`;

const UTC_RULE =
  '<ns2:Bias>0</ns2:Bias><ns2:Time>00:00:00</ns2:Time><ns2:DayOrder>0</ns2:DayOrder>' +
  '<ns2:Month>0</ns2:Month><ns2:DayOfWeek>Sunday</ns2:DayOfWeek>';

export interface GoogleAvailabilityRequest {
  /** The "Exchange Role Account" of the admin console; it need not exist. */
  readonly roleAccount: string;
  readonly addresses: readonly string[];
  /** Naive local times (`2024-03-11T00:00:00`), read in UTC (the body TimeZone). */
  readonly start: string;
  readonly end: string;
}

export function googleAvailabilityRequest(request: GoogleAvailabilityRequest): string {
  const mailboxes = request.addresses
    .map(
      (address) =>
        `<ns2:MailboxData><ns2:Email><ns2:Address>${escapeXml(address)}</ns2:Address></ns2:Email>` +
        '<ns2:AttendeeType>Required</ns2:AttendeeType></ns2:MailboxData>',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header>' +
    `<ns2:RequestServerVersion ${NS} Version="Exchange2010"/>` +
    `<ns2:ExchangeImpersonation ${NS}><ns2:ConnectingSID><ns2:PrimarySmtpAddress>${escapeXml(request.roleAccount)}</ns2:PrimarySmtpAddress></ns2:ConnectingSID></ns2:ExchangeImpersonation>` +
    '</SOAP-ENV:Header><SOAP-ENV:Body>' +
    `<ns3:GetUserAvailabilityRequest ${NS}>` +
    `<ns2:TimeZone><ns2:Bias>0</ns2:Bias><ns2:StandardTime>${UTC_RULE}</ns2:StandardTime><ns2:DaylightTime>${UTC_RULE}</ns2:DaylightTime></ns2:TimeZone>` +
    `<ns3:MailboxDataArray>${mailboxes}</ns3:MailboxDataArray>` +
    '<ns2:FreeBusyViewOptions><ns2:TimeWindow>' +
    `<ns2:StartTime>${request.start}</ns2:StartTime><ns2:EndTime>${request.end}</ns2:EndTime>` +
    '</ns2:TimeWindow><ns2:MergedFreeBusyIntervalInMinutes>30</ns2:MergedFreeBusyIntervalInMinutes>' +
    '<ns2:RequestedView>DetailedMerged</ns2:RequestedView></ns2:FreeBusyViewOptions>' +
    '</ns3:GetUserAvailabilityRequest></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

/** Today in UTC as Google asks for a day: midnight to midnight, naive times. */
export function utcDayWindow(now: Date): { start: string; end: string } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  return { start: naive(day), end: naive(day + 86_400_000) };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
