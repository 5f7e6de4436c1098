import { EwsFault } from '../ews-fault';
import { readSoapRequest } from '../soap/soap-request';
import { parseXmlDocument } from '../xml/parse-xml-document';
import { parseAvailabilityRequest } from './parse-availability-request';

const NS =
  'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"';

interface RequestShape {
  header?: string;
  timeZone?: string;
  mailboxes?: string[];
  start?: string;
  end?: string;
  interval?: string;
  view?: string;
  options?: string;
  suggestions?: boolean;
}

function request(shape: RequestShape = {}): string {
  const mailboxes = (shape.mailboxes ?? ['adele.vance@contoso.com'])
    .map(
      (a) =>
        `<t:MailboxData><t:Email><t:Address>${a}</t:Address></t:Email><t:AttendeeType>Required</t:AttendeeType></t:MailboxData>`,
    )
    .join('');
  const options =
    shape.options ??
    `<t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>${shape.start ?? '2024-03-11T00:00:00'}</t:StartTime><t:EndTime>${shape.end ?? '2024-03-12T00:00:00'}</t:EndTime></t:TimeWindow>` +
      (shape.interval === undefined
        ? ''
        : `<t:MergedFreeBusyIntervalInMinutes>${shape.interval}</t:MergedFreeBusyIntervalInMinutes>`) +
      (shape.view === undefined ? '' : `<t:RequestedView>${shape.view}</t:RequestedView>`) +
      '</t:FreeBusyViewOptions>';
  return (
    `<soap:Envelope ${NS}><soap:Header>${shape.header ?? ''}</soap:Header><soap:Body><m:GetUserAvailabilityRequest>` +
    (shape.timeZone ?? '') +
    `<m:MailboxDataArray>${mailboxes}</m:MailboxDataArray>${options}` +
    (shape.suggestions
      ? '<t:SuggestionsViewOptions><t:MeetingDurationInMinutes>30</t:MeetingDurationInMinutes></t:SuggestionsViewOptions>'
      : '') +
    '</m:GetUserAvailabilityRequest></soap:Body></soap:Envelope>'
  );
}

async function parse(xml: string) {
  const soap = readSoapRequest(await parseXmlDocument(xml));
  return parseAvailabilityRequest(soap.operation, soap.header);
}

async function faultOf(xml: string): Promise<EwsFault> {
  try {
    await parse(xml);
  } catch (error) {
    if (error instanceof EwsFault) return error;
    throw error;
  }
  throw new Error('expected a fault');
}

const PACIFIC_BODY_ZONE =
  '<t:TimeZone><t:Bias>480</t:Bias><t:StandardTime><t:Bias>0</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>11</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>2</t:DayOrder><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>';

describe('parseAvailabilityRequest', () => {
  it('keeps mailboxes in request order, duplicates included', async () => {
    const parsed = await parse(
      request({ mailboxes: ['b@contoso.com', 'a@contoso.com', 'b@contoso.com'] }),
    );
    expect(parsed.mailboxes).toEqual(['b@contoso.com', 'a@contoso.com', 'b@contoso.com']);
  });

  it('defaults to UTC, a 30-minute interval and the Detailed view', async () => {
    const parsed = await parse(request());
    expect(parsed.window).toEqual({
      startMs: Date.parse('2024-03-11T00:00:00Z'),
      endMs: Date.parse('2024-03-12T00:00:00Z'),
    });
    expect(parsed.intervalMinutes).toBe(30);
    expect(parsed.requestedView).toBe('Detailed');
    expect(parsed.suggestionsRequested).toBe(false);
  });

  it('reads naive times in the body TimeZone across the spring-forward day', async () => {
    const parsed = await parse(
      request({
        timeZone: PACIFIC_BODY_ZONE,
        start: '2024-03-10T00:00:00',
        end: '2024-03-11T00:00:00',
      }),
    );
    expect(new Date(parsed.window.startMs).toISOString()).toBe('2024-03-10T08:00:00.000Z');
    expect(new Date(parsed.window.endMs).toISOString()).toBe('2024-03-11T07:00:00.000Z');
  });

  it('reads naive times in the header TimeZoneContext Id when the body has no TimeZone', async () => {
    const parsed = await parse(
      request({
        header:
          '<t:TimeZoneContext><t:TimeZoneDefinition Id="AUS Eastern Standard Time"/></t:TimeZoneContext>',
        start: '2024-10-06T00:00:00',
        end: '2024-10-07T00:00:00',
      }),
    );
    expect(new Date(parsed.window.startMs).toISOString()).toBe('2024-10-05T14:00:00.000Z');
    expect(new Date(parsed.window.endMs).toISOString()).toBe('2024-10-06T13:00:00.000Z');
  });

  it('prefers the body TimeZone over the header, and an explicit offset over both', async () => {
    const parsed = await parse(
      request({
        header:
          '<t:TimeZoneContext><t:TimeZoneDefinition Id="Tokyo Standard Time"/></t:TimeZoneContext>',
        timeZone: PACIFIC_BODY_ZONE,
        start: '2024-07-01T00:00:00',
        end: '2024-07-02T00:00:00.123456+02:00',
      }),
    );
    expect(new Date(parsed.window.startMs).toISOString()).toBe('2024-07-01T07:00:00.000Z');
    expect(new Date(parsed.window.endMs).toISOString()).toBe('2024-07-01T22:00:00.123Z');
  });

  it('accepts the fixture shapes of every known client', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = `${__dirname}/../../../../test/fixtures/ews`;
    const files = readdirSync(dir).filter(
      (f) =>
        f.endsWith('.xml') &&
        readFileSync(`${dir}/${f}`, 'utf8').includes('GetUserAvailabilityRequest'),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const parsed = await parse(readFileSync(`${dir}/${file}`, 'utf8'));
      expect(parsed.mailboxes.length).toBeGreaterThan(0);
      expect(parsed.window.endMs).toBeGreaterThan(parsed.window.startMs);
    }
  });

  it('notices SuggestionsViewOptions', async () => {
    expect((await parse(request({ suggestions: true }))).suggestionsRequested).toBe(true);
  });

  it.each([
    ['no mailboxes', request({ mailboxes: [] }), 'ErrorMailboxDataArrayEmpty'],
    [
      '101 mailboxes',
      request({ mailboxes: Array.from({ length: 101 }, (_, i) => `u${i}@contoso.com`) }),
      'ErrorMailboxDataArrayTooBig',
    ],
    [
      'end before start',
      request({ start: '2024-03-12T00:00:00', end: '2024-03-11T00:00:00' }),
      'ErrorInvalidTimeInterval',
    ],
    [
      'end equal to start',
      request({ start: '2024-03-12T00:00:00', end: '2024-03-12T00:00:00' }),
      'ErrorInvalidTimeInterval',
    ],
    [
      'a 63-day window',
      request({ start: '2024-01-01T00:00:00', end: '2024-03-04T00:00:00' }),
      'ErrorTimeIntervalTooBig',
    ],
    ['interval 4', request({ interval: '4' }), 'ErrorInvalidMergedFreeBusyInterval'],
    ['interval 1441', request({ interval: '1441' }), 'ErrorInvalidMergedFreeBusyInterval'],
    [
      'interval not a number',
      request({ interval: 'thirty' }),
      'ErrorInvalidMergedFreeBusyInterval',
    ],
    [
      'interval longer than the window',
      request({ start: '2024-03-11T00:00:00', end: '2024-03-11T01:00:00', interval: '120' }),
      'ErrorInvalidMergedFreeBusyInterval',
    ],
    ['an unparsable date', request({ start: '2024-02-30T00:00:00' }), 'ErrorSchemaValidation'],
    ['garbage instead of a date', request({ start: 'tomorrow' }), 'ErrorSchemaValidation'],
    ['an unknown view', request({ view: 'Everything' }), 'ErrorSchemaValidation'],
    [
      'an unknown time zone id',
      request({
        header:
          '<t:TimeZoneContext><t:TimeZoneDefinition Id="Mars Standard Time"/></t:TimeZoneContext>',
      }),
      'ErrorTimeZone',
    ],
    [
      'a malformed body TimeZone',
      request({ timeZone: '<t:TimeZone><t:Bias>west</t:Bias></t:TimeZone>' }),
      'ErrorTimeZone',
    ],
    ['no FreeBusyViewOptions nor suggestions', request({ options: '' }), 'ErrorSchemaValidation'],
  ])('refuses %s with %s before any lookup', async (_name, xml, code) => {
    expect((await faultOf(xml)).responseCode).toBe(code);
  });

  it('accepts exactly 100 mailboxes, 62 days, and intervals 5 and 1440', async () => {
    await expect(
      parse(request({ mailboxes: Array.from({ length: 100 }, (_, i) => `u${i}@contoso.com`) })),
    ).resolves.toBeDefined();
    await expect(
      parse(request({ start: '2024-01-01T00:00:00', end: '2024-03-03T00:00:00' })),
    ).resolves.toBeDefined();
    await expect(parse(request({ interval: '5' }))).resolves.toBeDefined();
    await expect(parse(request({ interval: '1440' }))).resolves.toBeDefined();
  });
});
