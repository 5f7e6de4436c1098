import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  childElement,
  childElements,
  childText,
  type XmlElement,
} from '../../libs/ews/src/xml/xml-element';
import { parseXmlDocument } from '../../libs/ews/src/xml/parse-xml-document';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const E = 'http://schemas.microsoft.com/exchange/services/2006/errors';

/** The request fixtures of each known client (test/fixtures/ews, see its README). */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'ews');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

/** The SOAP body's first element of an EWS response (or the Fault). */
export async function soapBodyContent(xml: string): Promise<XmlElement> {
  const envelope = await parseXmlDocument(xml);
  const body = childElement(envelope, SOAP_NS, 'Body');
  if (body === undefined || body.children.length === 0) throw new Error(`no SOAP body in ${xml}`);
  return body.children[0];
}

export async function serverVersionInfo(xml: string): Promise<ReadonlyMap<string, string>> {
  const envelope = await parseXmlDocument(xml);
  const header = childElement(envelope, SOAP_NS, 'Header');
  const info = header && childElement(header, T, 'ServerVersionInfo');
  if (info === undefined) throw new Error('no ServerVersionInfo header');
  return info.attributes;
}

export interface FaultSummary {
  faultcode: string;
  responseCode: string;
  message: string;
}

export async function faultOf(xml: string): Promise<FaultSummary> {
  const fault = await soapBodyContent(xml);
  if (fault.local !== 'Fault') throw new Error(`not a fault: ${xml}`);
  const detail = fault.children.find((c) => c.local === 'detail')!;
  return {
    faultcode: fault.children.find((c) => c.local === 'faultcode')!.text,
    responseCode: childText(detail, E, 'ResponseCode') ?? '',
    message: childText(detail, E, 'Message') ?? '',
  };
}

export interface MailboxSummary {
  responseClass: string;
  responseCode: string;
  messageText?: string;
  viewType: string;
  merged?: string;
  events: Array<{
    start: string;
    end: string;
    busyType: string;
    subject?: string;
    isPrivate?: string;
  }>;
  workingHoursDays?: string;
}

/** What a client would read out of a GetUserAvailabilityResponse, one entry per mailbox. */
export async function mailboxesOf(xml: string): Promise<MailboxSummary[]> {
  const response = await soapBodyContent(xml);
  const array = childElement(response, M, 'FreeBusyResponseArray');
  if (array === undefined) return [];
  return childElements(array, M, 'FreeBusyResponse').map((r) => {
    const message = childElement(r, M, 'ResponseMessage')!;
    const view = childElement(r, M, 'FreeBusyView')!;
    const eventsArray = childElement(view, T, 'CalendarEventArray');
    const hours = childElement(view, T, 'WorkingHours');
    return {
      responseClass: message.attributes.get('ResponseClass') ?? '',
      responseCode: childText(message, M, 'ResponseCode') ?? '',
      messageText: childText(message, M, 'MessageText'),
      viewType: childText(view, T, 'FreeBusyViewType') ?? '',
      merged: childText(view, T, 'MergedFreeBusy'),
      events: (eventsArray ? childElements(eventsArray, T, 'CalendarEvent') : []).map((e) => {
        const details = childElement(e, T, 'CalendarEventDetails');
        return {
          start: childText(e, T, 'StartTime') ?? '',
          end: childText(e, T, 'EndTime') ?? '',
          busyType: childText(e, T, 'BusyType') ?? '',
          subject: details && childText(details, T, 'Subject'),
          isPrivate: details && childText(details, T, 'IsPrivate'),
        };
      }),
      workingHoursDays:
        hours &&
        childText(
          childElement(childElement(hours, T, 'WorkingPeriodArray')!, T, 'WorkingPeriod')!,
          T,
          'DayOfWeek',
        ),
    };
  });
}

export interface RoomDirectorySummary {
  readonly responseClass: string;
  readonly responseCode: string;
  readonly messageText?: string;
  /** Each t:Address (GetRoomLists) or t:Room/t:Id (GetRooms) as name, address, mailbox type. */
  readonly entries: readonly { name: string; address: string; mailboxType: string }[];
}

/** A GetRoomLists or GetRooms answer, read as a client reads it. */
export async function roomDirectoryOf(xml: string): Promise<RoomDirectorySummary> {
  const response = await soapBodyContent(xml);
  if (response.local !== 'GetRoomListsResponse' && response.local !== 'GetRoomsResponse') {
    throw new Error(`not a room directory answer: ${xml}`);
  }
  const container =
    childElement(response, M, 'RoomLists') ?? childElement(response, M, 'Rooms') ?? undefined;
  const entries =
    container === undefined
      ? []
      : container.children.map((entry) => {
          const id = entry.local === 'Room' ? childElement(entry, T, 'Id')! : entry;
          return {
            name: childText(id, T, 'Name') ?? '',
            address: childText(id, T, 'EmailAddress') ?? '',
            mailboxType: childText(id, T, 'MailboxType') ?? '',
          };
        });
  const messageText = childText(response, M, 'MessageText');
  return {
    responseClass: response.attributes.get('ResponseClass') ?? '',
    responseCode: childText(response, M, 'ResponseCode') ?? '',
    ...(messageText !== undefined ? { messageText } : {}),
    entries,
  };
}
