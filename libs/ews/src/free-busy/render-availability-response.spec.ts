import type { CalendarEvent, MailboxAvailability } from '@app/availability';
import { UTC_ZONE, zoneFromWindowsId } from '@app/time-zones';
import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { renderEnvelope } from '../soap/render-envelope';
import { parseXmlDocument as parseDocument } from '../xml/parse-xml-document';
import { childElement, childElements, childText, type XmlElement } from '../xml/xml-element';
import type { AvailabilityRequest } from './availability-request';
import { renderAvailabilityResponse, type RenderPolicy } from './render-availability-response';

const at = (iso: string) => Date.parse(iso);

/** The body content rendered inside the real envelope (which declares the m/t prefixes). */
async function parseXmlDocument(bodyContent: string): Promise<XmlElement> {
  const envelope = await parseDocument(renderEnvelope(bodyContent, 'Exchange2016'));
  return envelope.children[1].children[0];
}

const baseRequest: AvailabilityRequest = {
  mailboxes: ['adele.vance@contoso.com'],
  window: { startMs: at('2024-03-11T00:00:00Z'), endMs: at('2024-03-12T00:00:00Z') },
  intervalMinutes: 60,
  requestedView: 'DetailedMerged',
  zone: UTC_ZONE,
  freeBusyRequested: true,
  suggestionsRequested: false,
};

const open: RenderPolicy = { detailsAllowed: true, workingElsewhere: true };

const meeting: CalendarEvent = {
  startMs: at('2024-03-11T09:00:00Z'),
  endMs: at('2024-03-11T10:00:00Z'),
  status: 'Busy',
  details: {
    subject: 'Budget & <review>',
    location: 'Room 1',
    isMeeting: true,
    isRecurring: false,
    isException: false,
    isReminderSet: true,
    isPrivate: false,
  },
};
const secret: CalendarEvent = {
  startMs: at('2024-03-11T13:00:00Z'),
  endMs: at('2024-03-11T14:00:00Z'),
  status: 'Busy',
  details: {
    id: 'AAMkAD-private',
    subject: 'Doctor appointment',
    location: 'Clinic',
    isMeeting: false,
    isRecurring: false,
    isException: false,
    isReminderSet: false,
    isPrivate: true,
  },
};
const elsewhere: CalendarEvent = {
  startMs: at('2024-03-11T15:00:00Z'),
  endMs: at('2024-03-11T16:00:00Z'),
  status: 'WorkingElsewhere',
};

async function render(
  results: MailboxAvailability[],
  policy: RenderPolicy = open,
  request: Partial<AvailabilityRequest> = {},
): Promise<XmlElement> {
  const xml = renderAvailabilityResponse({ ...baseRequest, ...request }, results, policy);
  expect(xml).not.toMatch(/>\s+</);
  return parseXmlDocument(xml);
}

function responses(doc: XmlElement): XmlElement[] {
  return childElements(
    childElement(doc, MESSAGES_NS, 'FreeBusyResponseArray')!,
    MESSAGES_NS,
    'FreeBusyResponse',
  );
}

function view(response: XmlElement): XmlElement {
  return childElement(response, MESSAGES_NS, 'FreeBusyView')!;
}

function events(response: XmlElement): XmlElement[] {
  const array = childElement(view(response), TYPES_NS, 'CalendarEventArray');
  return array ? childElements(array, TYPES_NS, 'CalendarEvent') : [];
}

const ok = (events: CalendarEvent[]): MailboxAvailability => ({
  address: 'adele.vance@contoso.com',
  outcome: 'ok',
  events,
});

describe('renderAvailabilityResponse', () => {
  it('puts FreeBusyView in the messages namespace and its content in the types namespace', async () => {
    const doc = await render([ok([meeting])]);
    const response = responses(doc)[0];
    const message = childElement(response, MESSAGES_NS, 'ResponseMessage')!;
    expect(message.attributes.get('ResponseClass')).toBe('Success');
    expect(childText(message, MESSAGES_NS, 'ResponseCode')).toBe('NoError');
    expect(childText(view(response), TYPES_NS, 'FreeBusyViewType')).toBe('DetailedMerged');
    expect(childText(view(response), TYPES_NS, 'MergedFreeBusy')).toBe('000000000200000000000000');
    expect(view(response).children.map((c) => c.local)).toEqual([
      'FreeBusyViewType',
      'MergedFreeBusy',
      'CalendarEventArray',
    ]);
  });

  it('writes event times in the requester zone without offset or fraction', async () => {
    const pacific = zoneFromWindowsId('Pacific Standard Time')!;
    const doc = await render([ok([meeting])], open, { zone: pacific });
    const [event] = events(responses(doc)[0]);
    expect(childText(event, TYPES_NS, 'StartTime')).toBe('2024-03-11T02:00:00');
    expect(childText(event, TYPES_NS, 'EndTime')).toBe('2024-03-11T03:00:00');
  });

  it('escapes subjects and never shows the subject, location or id of a private item', async () => {
    const xml = renderAvailabilityResponse(baseRequest, [ok([meeting, secret])], open);
    expect(xml).not.toContain('Doctor');
    expect(xml).not.toContain('Clinic');
    expect(xml).not.toContain('AAMkAD-private');
    const doc = await parseXmlDocument(xml);
    const [shown, hidden] = events(responses(doc)[0]);
    const shownDetails = childElement(shown, TYPES_NS, 'CalendarEventDetails')!;
    expect(childText(shownDetails, TYPES_NS, 'Subject')).toBe('Budget & <review>');
    const hiddenDetails = childElement(hidden, TYPES_NS, 'CalendarEventDetails')!;
    expect(hiddenDetails.children.map((c) => c.local)).toEqual([
      'IsMeeting',
      'IsRecurring',
      'IsException',
      'IsReminderSet',
      'IsPrivate',
    ]);
    expect(childText(hiddenDetails, TYPES_NS, 'IsPrivate')).toBe('true');
  });

  it('reports a FreeBusy view without any details when the policy forbids details', async () => {
    const xml = renderAvailabilityResponse(baseRequest, [ok([meeting])], {
      ...open,
      detailsAllowed: false,
    });
    expect(xml).not.toContain('Budget');
    const doc = await parseXmlDocument(xml);
    expect(childText(view(responses(doc)[0]), TYPES_NS, 'FreeBusyViewType')).toBe('FreeBusyMerged');
    expect(xml).not.toContain('CalendarEventDetails');
  });

  it('shows WorkingElsewhere only to clients that know it (Exchange2013+), else Free', async () => {
    const modern = await render([ok([elsewhere])], open, { requestedView: 'FreeBusy' });
    expect(childText(events(responses(modern)[0])[0], TYPES_NS, 'BusyType')).toBe(
      'WorkingElsewhere',
    );
    const old = renderAvailabilityResponse(
      { ...baseRequest, requestedView: 'FreeBusy' },
      [ok([elsewhere])],
      {
        ...open,
        workingElsewhere: false,
      },
    );
    expect(old).not.toContain('WorkingElsewhere');
    expect(old).toContain('<t:BusyType>Free</t:BusyType>');
  });

  it('answers MergedOnly with the merged string alone', async () => {
    const doc = await render([ok([meeting])], open, { requestedView: 'MergedOnly' });
    expect(view(responses(doc)[0]).children.map((c) => c.local)).toEqual([
      'FreeBusyViewType',
      'MergedFreeBusy',
    ]);
  });

  it('renders per-mailbox errors in the Exchange shape while the others succeed', async () => {
    const doc = await render([
      {
        address: 'no.such.person@contoso.com',
        outcome: 'failed',
        reason: 'recipientNotFound',
        detail: 'x',
      },
      ok([meeting]),
      {
        address: 'slow@contoso.com',
        outcome: 'failed',
        reason: 'timeout',
        detail: 'Microsoft Graph did not answer within the deadline of 8000 ms',
      },
    ]);
    const [missing, fine, slow] = responses(doc);
    const missingMessage = childElement(missing, MESSAGES_NS, 'ResponseMessage')!;
    expect(missingMessage.attributes.get('ResponseClass')).toBe('Error');
    expect(childText(missingMessage, MESSAGES_NS, 'ResponseCode')).toBe(
      'ErrorMailRecipientNotFound',
    );
    expect(childText(missingMessage, MESSAGES_NS, 'MessageText')).toBe(
      'Unable to resolve e-mail address no.such.person@contoso.com to an Active Directory object.',
    );
    expect(missingMessage.children.map((c) => c.local)).toEqual([
      'MessageText',
      'ResponseCode',
      'DescriptiveLinkKey',
      'MessageXml',
    ]);
    expect(
      childText(
        childElement(missingMessage, MESSAGES_NS, 'MessageXml')!,
        'http://schemas.microsoft.com/exchange/services/2006/errors',
        'ExceptionCode',
      ),
    ).toBe('5009');
    expect(childText(view(missing), TYPES_NS, 'FreeBusyViewType')).toBe('None');
    expect(
      childText(childElement(fine, MESSAGES_NS, 'ResponseMessage')!, MESSAGES_NS, 'ResponseCode'),
    ).toBe('NoError');
    expect(
      childText(childElement(slow, MESSAGES_NS, 'ResponseMessage')!, MESSAGES_NS, 'ResponseCode'),
    ).toBe('ErrorProxyRequestProcessingFailed');
  });

  it('adds an error SuggestionsResponse when suggestions were asked for', async () => {
    const doc = await render([ok([])], open, { suggestionsRequested: true });
    const suggestions = childElement(doc, MESSAGES_NS, 'SuggestionsResponse')!;
    const message = childElement(suggestions, MESSAGES_NS, 'ResponseMessage')!;
    expect(message.attributes.get('ResponseClass')).toBe('Error');
    expect(childText(message, MESSAGES_NS, 'ResponseCode')).toBe(
      'ErrorMeetingSuggestionGenerationFailed',
    );
  });

  it('renders working hours in the owner zone, and omits them when there are no working days', async () => {
    const withHours = await render([
      {
        ...ok([]),
        workingHours: {
          daysOfWeek: ['Monday', 'Tuesday'],
          startMinutes: 480,
          endMinutes: 1020,
          zone: { kind: 'named', name: 'Pacific Standard Time' },
        },
      } as MailboxAvailability,
    ]);
    const hours = childElement(view(responses(withHours)[0]), TYPES_NS, 'WorkingHours')!;
    expect(childText(childElement(hours, TYPES_NS, 'TimeZone')!, TYPES_NS, 'Bias')).toBe('480');
    const period = childElement(
      childElement(hours, TYPES_NS, 'WorkingPeriodArray')!,
      TYPES_NS,
      'WorkingPeriod',
    )!;
    expect(childText(period, TYPES_NS, 'DayOfWeek')).toBe('Monday Tuesday');
    expect(childText(period, TYPES_NS, 'StartTimeInMinutes')).toBe('480');

    const noDays = renderAvailabilityResponse(
      baseRequest,
      [
        {
          ...ok([]),
          workingHours: {
            daysOfWeek: [],
            startMinutes: 0,
            endMinutes: 0,
            zone: { kind: 'named', name: 'UTC' },
          },
        } as MailboxAvailability,
      ],
      open,
    );
    expect(noDays).not.toContain('WorkingHours');
  });
});

describe('event times shared between mailboxes', () => {
  // Each instant is converted once per response and reused: the same instant must read the
  // same in every mailbox, and instants either side of a DST change must not borrow each
  // other's text.
  it('writes each mailbox its own events, in the requester zone, across a DST change', async () => {
    const pacific = zoneFromWindowsId('Pacific Standard Time')!;
    const event = (start: string, end: string): CalendarEvent => ({
      startMs: at(start),
      endMs: at(end),
      status: 'Busy',
    });
    const a = [event('2024-03-10T09:30:00Z', '2024-03-10T10:30:00Z')];
    const b = [
      event('2024-03-10T10:30:00Z', '2024-03-10T11:00:00Z'),
      event('2024-03-10T09:30:00Z', '2024-03-10T10:30:00Z'),
    ];
    const results: MailboxAvailability[] = [
      { address: 'a@contoso.com', outcome: 'ok', events: a },
      { address: 'b@contoso.com', outcome: 'ok', events: b },
    ];
    const xml = renderAvailabilityResponse(
      {
        ...baseRequest,
        mailboxes: ['a@contoso.com', 'b@contoso.com'],
        window: { startMs: at('2024-03-10T08:00:00Z'), endMs: at('2024-03-11T07:00:00Z') },
        requestedView: 'FreeBusy',
        zone: pacific,
      },
      results,
      open,
    );
    const response = await parseXmlDocument(xml);
    const times = childElements(
      childElement(response, MESSAGES_NS, 'FreeBusyResponseArray')!,
      MESSAGES_NS,
      'FreeBusyResponse',
    ).map((r) =>
      childElements(
        childElement(
          childElement(r, MESSAGES_NS, 'FreeBusyView')!,
          TYPES_NS,
          'CalendarEventArray',
        )!,
        TYPES_NS,
        'CalendarEvent',
      ).map((e) => `${childText(e, TYPES_NS, 'StartTime')}/${childText(e, TYPES_NS, 'EndTime')}`),
    );
    expect(times).toEqual([
      ['2024-03-10T01:30:00/2024-03-10T03:30:00'],
      ['2024-03-10T03:30:00/2024-03-10T04:00:00', '2024-03-10T01:30:00/2024-03-10T03:30:00'],
    ]);
  });
});
