/**
 * Small EWS request bodies for suites that need to get past the bearer guard but do not test
 * the EWS protocol itself (the real client shapes are the fixtures in test/fixtures/ews).
 */

const ENVELOPE_OPEN =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"' +
  ' xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><s:Body>';
const ENVELOPE_CLOSE = '</s:Body></s:Envelope>';

/** The cheapest request the EWS endpoint answers with 200: no provider involved. */
export const GET_SERVER_TIME_ZONES =
  ENVELOPE_OPEN + '<m:GetServerTimeZones ReturnFullTimeZoneData="false"/>' + ENVELOPE_CLOSE;

const UTC_ZONE =
  '<t:TimeZone><t:Bias>0</t:Bias>' +
  '<t:StandardTime><t:Bias>0</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime>' +
  '<t:DaylightTime><t:Bias>0</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime>' +
  '</t:TimeZone>';

/** GetUserAvailability in UTC for `addresses` over [start, end) (`YYYY-MM-DDTHH:mm:ss`). */
export function availabilityRequest(
  addresses: readonly string[],
  start = '2024-03-11T00:00:00',
  end = '2024-03-12T00:00:00',
  view = 'FreeBusy',
): string {
  const mailboxes = addresses
    .map(
      (a) =>
        `<t:MailboxData><t:Email><t:Address>${a}</t:Address></t:Email><t:AttendeeType>Required</t:AttendeeType></t:MailboxData>`,
    )
    .join('');
  return (
    ENVELOPE_OPEN +
    '<m:GetUserAvailabilityRequest>' +
    UTC_ZONE +
    `<m:MailboxDataArray>${mailboxes}</m:MailboxDataArray>` +
    `<t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>${start}</t:StartTime><t:EndTime>${end}</t:EndTime></t:TimeWindow>` +
    `<t:MergedFreeBusyIntervalInMinutes>30</t:MergedFreeBusyIntervalInMinutes><t:RequestedView>${view}</t:RequestedView></t:FreeBusyViewOptions>` +
    '</m:GetUserAvailabilityRequest>' +
    ENVELOPE_CLOSE
  );
}

/** GetRoomLists, as the Managed API sends it (getroomlists-operation.md). */
export const GET_ROOM_LISTS =
  ENVELOPE_OPEN.replace(
    '<s:Body>',
    '<s:Header><t:RequestServerVersion Version="Exchange2010_SP1"/></s:Header><s:Body>',
  ) +
  '<m:GetRoomLists/>' +
  ENVELOPE_CLOSE;

/** GetRooms of the list at `listAddress` (getrooms-operation.md). */
export function roomsRequest(listAddress: string): string {
  return (
    ENVELOPE_OPEN.replace(
      '<s:Body>',
      '<s:Header><t:RequestServerVersion Version="Exchange2010_SP1"/></s:Header><s:Body>',
    ) +
    `<m:GetRooms><m:RoomList><t:EmailAddress>${listAddress}</t:EmailAddress></m:RoomList></m:GetRooms>` +
    ENVELOPE_CLOSE
  );
}
