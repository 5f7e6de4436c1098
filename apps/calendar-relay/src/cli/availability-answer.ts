import { parseStringPromise, processors } from 'xml2js';

/** One FreeBusyResponse as a client reads it. */
export interface MailboxAnswer {
  readonly responseClass: string;
  readonly code: string;
  readonly message?: string;
  readonly events: number;
}

/** What a GetUserAvailability HTTP body says, read leniently by local names as Google would. */
export type AvailabilityAnswer =
  | { readonly kind: 'answered'; readonly mailboxes: readonly MailboxAnswer[] }
  | { readonly kind: 'fault'; readonly code?: string; readonly text: string }
  | { readonly kind: 'unreadable'; readonly detail: string };

/** An xml2js element: child arrays by local name, `_` its text, `$` its attributes. */
interface Node {
  readonly [name: string]: unknown;
  readonly _?: string;
  readonly $?: Record<string, string>;
}

export async function readAvailabilityAnswer(body: string): Promise<AvailabilityAnswer> {
  let document: Node;
  try {
    document = (await parseStringPromise(body, {
      tagNameProcessors: [processors.stripPrefix],
      attrNameProcessors: [processors.stripPrefix],
    })) as Node;
  } catch {
    return { kind: 'unreadable', detail: 'the answer is not XML' };
  }
  const envelope = child(document, 'Envelope');
  const soapBody = envelope && child(envelope, 'Body');
  if (soapBody === undefined)
    return { kind: 'unreadable', detail: 'the answer is not a SOAP envelope' };

  const fault = child(soapBody, 'Fault');
  if (fault !== undefined) {
    const detail = child(fault, 'detail');
    return {
      kind: 'fault',
      code: text(detail && child(detail, 'ResponseCode')) ?? text(child(fault, 'faultcode')),
      text: text(child(fault, 'faultstring')) ?? '',
    };
  }
  const array = child(child(soapBody, 'GetUserAvailabilityResponse'), 'FreeBusyResponseArray');
  if (array === undefined) {
    return { kind: 'unreadable', detail: 'no GetUserAvailabilityResponse/FreeBusyResponseArray' };
  }
  const mailboxes = children(array, 'FreeBusyResponse').map((response): MailboxAnswer => {
    const message = child(response, 'ResponseMessage');
    const events = child(child(response, 'FreeBusyView'), 'CalendarEventArray');
    return {
      responseClass: message?.$?.ResponseClass ?? '',
      code: text(message && child(message, 'ResponseCode')) ?? '(no ResponseCode)',
      message: text(message && child(message, 'MessageText')),
      events: events === undefined ? 0 : children(events, 'CalendarEvent').length,
    };
  });
  return { kind: 'answered', mailboxes };
}

function children(node: Node | undefined, name: string): Node[] {
  const value = node?.[name];
  // xml2js gives the root element as an object, every other element as an array.
  const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v): Node => (typeof v === 'string' ? { _: v } : (v as Node)));
}

function child(node: Node | undefined, name: string): Node | undefined {
  return children(node, name)[0];
}

function text(node: Node | undefined): string | undefined {
  const value = node?._?.trim();
  return value === undefined || value === '' ? undefined : value;
}
