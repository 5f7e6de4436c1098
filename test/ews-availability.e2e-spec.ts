import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { faultOf, fixture, mailboxesOf, serverVersionInfo, soapBodyContent } from './support/soap';
import { bearerTokenFor, startRelay } from './support/relay-app';

/**
 * The EWS endpoint end to end: real app (configureApp), real bearer token from /token, the demo
 * calendars behind the AvailabilityProvider port.
 */
describe('EWS GetUserAvailability (demo calendars)', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({ EVENT_DETAILS: 'true' });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (
    body: string,
    path = '/EWS/Exchange.asmx',
    contentType = 'text/xml; charset=utf-8',
  ) =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      payload: body,
    });

  it('answers Google\'s request shape at / with one response per mailbox and "Invalid attendee" for the unknown one', async () => {
    const res = await post(fixture('google-interop.xml'), '/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).not.toMatch(/>\s+</);
    const [adele, unknown] = await mailboxesOf(res.body);
    expect(adele.responseClass).toBe('Success');
    expect(adele.viewType).toBe('DetailedMerged');
    // 7 days x 48 half hours, starting Monday 2024-03-11 00:00 UTC.
    expect(adele.merged).toMatch(/^[0-3]{336}$/);
    expect(adele.merged).toMatch(/[123]/);
    expect(unknown.responseClass).toBe('Error');
    expect(unknown.responseCode).toBe('ErrorMailRecipientNotFound');
    expect(unknown.messageText).toBe(
      'Unable to resolve e-mail address no.such.person@contoso.com to an Active Directory object.',
    );
    // Google sent Exchange2010: no WorkingElsewhere for it.
    expect(res.body).not.toContain('WorkingElsewhere');
    expect((await serverVersionInfo(res.body)).get('Version')).toBe('Exchange2010');
  });

  it('serves /EWS/Exchange.asmx in any letter case (DavMail posts to /ews/exchange.asmx)', async () => {
    const res = await post(fixture('davmail.xml'), '/ews/exchange.asmx');
    expect(res.statusCode).toBe(200);
    const [adele] = await mailboxesOf(res.body);
    expect(adele.viewType).toBe('MergedOnly');
    // 08:00Z..18:00Z in 15-minute slots.
    expect(adele.merged).toHaveLength(40);
    expect(adele.events).toEqual([]);
  });

  it('answers the .NET client: Pacific full definition, 23-hour DST day, a SuggestionsResponse', async () => {
    const res = await post(fixture('managed-api-full-definition.xml'));
    expect(res.statusCode).toBe(200);
    const mailboxes = await mailboxesOf(res.body);
    expect(mailboxes).toHaveLength(2);
    for (const mailbox of mailboxes) {
      expect(mailbox.viewType).toBe('FreeBusyMerged');
      expect(mailbox.merged).toHaveLength(46);
      for (const event of mailbox.events) {
        expect(event.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
        expect(event.subject).toBeUndefined();
      }
    }
    const body = await soapBodyContent(res.body);
    expect(body.children.map((c) => c.local)).toEqual([
      'FreeBusyResponseArray',
      'SuggestionsResponse',
    ]);
  });

  it('keeps order and duplicates', async () => {
    const request = fixture('google-interop.xml').replace(
      '</ns3:MailboxDataArray>',
      '<ns2:MailboxData><ns2:Email><ns2:Address>adele.vance@contoso.com</ns2:Address></ns2:Email><ns2:AttendeeType>Required</ns2:AttendeeType></ns2:MailboxData></ns3:MailboxDataArray>',
    );
    const mailboxes = await mailboxesOf((await post(request)).body);
    expect(mailboxes.map((m) => m.responseCode)).toEqual([
      'NoError',
      'ErrorMailRecipientNotFound',
      'NoError',
    ]);
    expect(mailboxes[2]).toEqual(mailboxes[0]);
  });

  it('never leaks the subject of a private event, even with details enabled', async () => {
    const res = await post(fixture('ews-javascript-api.xml'));
    expect(res.statusCode).toBe(200);
    const [adele] = await mailboxesOf(res.body);
    const privateEvents = adele.events.filter((e) => e.isPrivate === 'true');
    expect(privateEvents.length).toBeGreaterThan(0);
    for (const event of privateEvents) expect(event.subject).toBeUndefined();
    expect(adele.events.some((e) => e.subject !== undefined)).toBe(true);
  });

  it.each([
    [
      'an empty mailbox array',
      (x: string) => x.replace(/<t:MailboxData>.*<\/t:MailboxData>/, ''),
      'ErrorMailboxDataArrayEmpty',
    ],
    [
      'a reversed window',
      (x: string) => x.replace('2024-03-11T18:00:00Z', '2024-03-10T18:00:00Z'),
      'ErrorInvalidTimeInterval',
    ],
    [
      'a 90-day window',
      (x: string) => x.replace('2024-03-11T18:00:00Z', '2024-06-11T18:00:00Z'),
      'ErrorTimeIntervalTooBig',
    ],
    [
      'a 3-minute interval',
      (x: string) =>
        x.replace('<t:MergedFreeBusyIntervalInMinutes>15', '<t:MergedFreeBusyIntervalInMinutes>3'),
      'ErrorInvalidMergedFreeBusyInterval',
    ],
  ])('refuses %s with a SOAP fault carrying %s', async (_name, mutate, code) => {
    const res = await post(mutate(fixture('davmail.xml')));
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect((await faultOf(res.body)).responseCode).toBe(code);
    expect((await serverVersionInfo(res.body)).get('MajorVersion')).toBe('15');
  });

  it.each([
    ['malformed XML', '<soap:Envelope', 'text/xml'],
    ['JSON', '{"hello":"world"}', 'application/json'],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', 'text/xml'],
    ['a non-SOAP document', '<hello/>', 'application/xml'],
  ])('answers %s with a SOAP fault, never HTML or JSON', async (_name, body, type) => {
    const res = await post(body, '/EWS/Exchange.asmx', type);
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect((await faultOf(res.body)).responseCode).toBe('ErrorSchemaValidation');
  });

  it('names an unsupported operation in its fault', async () => {
    const res = await post(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><s:Body><m:FindItem/></s:Body></s:Envelope>',
    );
    expect(res.statusCode).toBe(500);
    const fault = await faultOf(res.body);
    expect(fault.responseCode).toBe('ErrorInvalidOperation');
    expect(fault.message).toContain('FindItem');
  });

  it('answers GetServerTimeZones for exchangelib', async () => {
    const res = await post(fixture('exchangelib-get-server-time-zones.xml'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Id="Romance Standard Time"');
    expect(res.body).toContain('Name="Standard"');
  });

  it('refuses a missing token before parsing anything', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      headers: { 'content-type': 'text/xml' },
      payload: fixture('davmail.xml'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});
