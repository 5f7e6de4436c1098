import { EwsFault } from '../ews-fault';
import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { childElement, childText, type XmlElement } from '../xml/xml-element';

/**
 * The list a GetRooms request names: `m:RoomList/t:EmailAddress` (getrooms-operation.md). The
 * Managed API, ews-javascript-api and exchangelib all write it so; a request without one is
 * not a GetRooms request the schema allows.
 */
export function parseGetRoomsRequest(operation: XmlElement): string {
  const list = childElement(operation, MESSAGES_NS, 'RoomList');
  const address = list === undefined ? undefined : childText(list, TYPES_NS, 'EmailAddress');
  if (address === undefined || address === '') {
    throw new EwsFault(
      'ErrorSchemaValidation',
      'The GetRooms request names no room list (m:RoomList/t:EmailAddress).',
    );
  }
  if (address.length > 320) {
    throw new EwsFault('ErrorSchemaValidation', 'The room list address is too long.');
  }
  return address;
}
