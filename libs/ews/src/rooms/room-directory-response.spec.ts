import { parseXmlDocument } from '../xml/parse-xml-document';
import { renderEnvelope } from '../soap/render-envelope';
import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { childElement, childElements, childText, type XmlElement } from '../xml/xml-element';
import { renderRoomLists, renderRooms, renderUnknownRoomList } from './room-directory-response';

async function bodyOf(xml: string): Promise<XmlElement> {
  const root = await parseXmlDocument(renderEnvelope(xml, 'Exchange2010'));
  return root.children.find((c) => c.local === 'Body')!.children[0];
}

describe('room directory answers', () => {
  it('writes room lists as Exchange Online does: no ResponseMessages, t:Address of PublicDL', async () => {
    const response = await bodyOf(
      renderRoomLists([{ name: 'Building 1 & 2', address: 'bldg1@contoso.com' }]),
    );
    expect([response.ns, response.local]).toEqual([MESSAGES_NS, 'GetRoomListsResponse']);
    expect(response.attributes.get('ResponseClass')).toBe('Success');
    expect(childText(response, MESSAGES_NS, 'ResponseCode')).toBe('NoError');
    const [list] = childElements(
      childElement(response, MESSAGES_NS, 'RoomLists')!,
      TYPES_NS,
      'Address',
    );
    expect(list.children.map((c) => [c.ns, c.local, c.text])).toEqual([
      [TYPES_NS, 'Name', 'Building 1 & 2'],
      [TYPES_NS, 'EmailAddress', 'bldg1@contoso.com'],
      [TYPES_NS, 'RoutingType', 'SMTP'],
      [TYPES_NS, 'MailboxType', 'PublicDL'],
    ]);
  });

  it('answers no lists with an empty RoomLists, still a success', () => {
    expect(renderRoomLists([])).toBe(
      '<m:GetRoomListsResponse ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:RoomLists/></m:GetRoomListsResponse>',
    );
  });

  it('writes rooms as t:Room/t:Id of MailboxType Mailbox, in the right types namespace', async () => {
    const response = await bodyOf(
      renderRooms([
        { name: 'Conf Room 3/101 (16) AV', address: 'cf3101@contoso.com', capacity: 16 },
      ]),
    );
    const [room] = childElements(childElement(response, MESSAGES_NS, 'Rooms')!, TYPES_NS, 'Room');
    const id = childElement(room, TYPES_NS, 'Id')!;
    expect(childText(id, TYPES_NS, 'Name')).toBe('Conf Room 3/101 (16) AV');
    expect(childText(id, TYPES_NS, 'EmailAddress')).toBe('cf3101@contoso.com');
    expect(childText(id, TYPES_NS, 'MailboxType')).toBe('Mailbox');
  });

  it("answers an unknown list with Exchange's error, not a fault", async () => {
    const response = await bodyOf(renderUnknownRoomList());
    expect(response.local).toBe('GetRoomsResponse');
    expect(response.attributes.get('ResponseClass')).toBe('Error');
    expect(childText(response, MESSAGES_NS, 'MessageText')).toBe('No results were found.');
    expect(childText(response, MESSAGES_NS, 'ResponseCode')).toBe('ErrorNameResolutionNoResults');
  });
});
