import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAvailabilityAnswer } from './availability-answer';

const GOLDEN = join(__dirname, '../../../../test/fixtures/ews/golden/google-interop.response.xml');

describe('readAvailabilityAnswer', () => {
  it("reads the relay's answer to Google's request: one entry per mailbox with its events", async () => {
    const answer = await readAvailabilityAnswer(readFileSync(GOLDEN, 'utf8'));
    expect(answer).toEqual({
      kind: 'answered',
      mailboxes: [
        { responseClass: 'Success', code: 'NoError', message: undefined, events: 12 },
        {
          responseClass: 'Error',
          code: 'ErrorMailRecipientNotFound',
          message:
            'Unable to resolve e-mail address no.such.person@contoso.com to an Active Directory object.',
          events: 0,
        },
      ],
    });
  });

  it('reads a SOAP fault by its EWS ResponseCode', async () => {
    const fault =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
      '<faultcode>a:ErrorServerBusy</faultcode><faultstring>The server is busy.</faultstring>' +
      '<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode></detail>' +
      '</s:Fault></s:Body></s:Envelope>';
    expect(await readAvailabilityAnswer(fault)).toEqual({
      kind: 'fault',
      code: 'ErrorServerBusy',
      text: 'The server is busy.',
    });
  });

  it('calls JSON or HTML what Google calls it: unreadable', async () => {
    expect(await readAvailabilityAnswer('{"error":"nope"}')).toMatchObject({ kind: 'unreadable' });
    expect(await readAvailabilityAnswer('<html><body>502</body></html>')).toEqual({
      kind: 'unreadable',
      detail: 'the answer is not a SOAP envelope',
    });
  });
});
