import type { Room, RoomList } from '@app/availability';
import { escapeXmlText } from '../xml/xml-escape';

/**
 * GetRoomLists and GetRooms answers in Exchange Online's shapes (docs/protocol.md section 9;
 * MicrosoftDocs/office-developer-exchange-docs "Get room lists by using EWS in Exchange",
 * getroomlists-operation.md, getrooms-operation.md; exchangelib tests/test_protocol.py):
 * unlike most operations, no ResponseMessages wrapper, the ResponseClass and ResponseCode on
 * the response element itself. Lists are `t:Address` of MailboxType PublicDL, rooms
 * `t:Room/t:Id` of MailboxType Mailbox; no lists is Success with an empty `m:RoomLists`; an
 * unknown list is an Error answer (HTTP 200), not a fault. Compact on purpose, as every answer
 * (render-envelope.ts).
 */

function address(entry: RoomList, mailboxType: 'PublicDL' | 'Mailbox'): string {
  return (
    `<t:Name>${escapeXmlText(entry.name)}</t:Name>` +
    `<t:EmailAddress>${escapeXmlText(entry.address)}</t:EmailAddress>` +
    '<t:RoutingType>SMTP</t:RoutingType>' +
    `<t:MailboxType>${mailboxType}</t:MailboxType>`
  );
}

export function renderRoomLists(lists: readonly RoomList[]): string {
  const body = lists.map((l) => `<t:Address>${address(l, 'PublicDL')}</t:Address>`).join('');
  return (
    '<m:GetRoomListsResponse ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
    (body === '' ? '<m:RoomLists/>' : `<m:RoomLists>${body}</m:RoomLists>`) +
    '</m:GetRoomListsResponse>'
  );
}

export function renderRooms(rooms: readonly Room[]): string {
  const body = rooms.map((r) => `<t:Room><t:Id>${address(r, 'Mailbox')}</t:Id></t:Room>`).join('');
  return (
    '<m:GetRoomsResponse ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
    (body === '' ? '<m:Rooms/>' : `<m:Rooms>${body}</m:Rooms>`) +
    '</m:GetRoomsResponse>'
  );
}

/** Exchange's answer for a room list it does not have (exchangelib raises ErrorNameResolutionNoResults). */
export function renderUnknownRoomList(): string {
  return (
    '<m:GetRoomsResponse ResponseClass="Error">' +
    '<m:MessageText>No results were found.</m:MessageText>' +
    '<m:ResponseCode>ErrorNameResolutionNoResults</m:ResponseCode>' +
    '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
    '</m:GetRoomsResponse>'
  );
}
