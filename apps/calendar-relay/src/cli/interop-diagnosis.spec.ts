import {
  diagnoseEwsStatus,
  diagnoseMailbox,
  diagnoseTokenAnswer,
  diagnoseTransportFailure,
  diagnoseUrl,
} from './interop-diagnosis';

const URL_ = new URL('https://relay.example.com/EWS/Exchange.asmx');

describe('interop diagnosis in Google terms', () => {
  it('maps per-mailbox codes: ErrorMailRecipientNotFound is "Invalid attendee"', () => {
    expect(diagnoseMailbox('NoError')).toBeUndefined();
    expect(diagnoseMailbox('ErrorMailRecipientNotFound')?.google).toBe('Invalid attendee');
    expect(diagnoseMailbox('ErrorProxyRequestProcessingFailed')?.detail).toContain(
      'GRAPH_DEADLINE_MS',
    );
  });

  it('tells TLS problems apart', () => {
    expect(diagnoseTransportFailure('EWS', URL_, 'DEPTH_ZERO_SELF_SIGNED_CERT').detail).toContain(
      'self-signed',
    );
    expect(diagnoseTransportFailure('EWS', URL_, 'ERR_TLS_CERT_ALTNAME_INVALID').detail).toContain(
      'hostname mismatch',
    );
    expect(
      diagnoseTransportFailure('EWS', URL_, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE').detail,
    ).toContain('intermediate');
    expect(diagnoseTransportFailure('token', URL_, 'ECONNREFUSED')).toMatchObject({
      google: 'Connection error',
    });
  });

  it('tells invalid_client at /token from invalid_token at the EWS endpoint', () => {
    const client = diagnoseTokenAnswer(
      401,
      '{"error":"invalid_client","error_description":"Client authentication failed."}',
    );
    expect(client.ok).toBe(false);
    expect(!client.ok && client.diagnosis.google).toBe('Authentication error (invalid_client)');
    expect(
      diagnoseEwsStatus(
        401,
        'application/json',
        'Bearer realm="calendar-relay", error="invalid_token"',
      )?.google,
    ).toBe('EWS response error (401 invalid_token)');
    expect(
      diagnoseEwsStatus(401, 'application/json', 'Bearer realm="calendar-relay"')?.google,
    ).toBe('EWS response error (401)');
  });

  it('blames the allowlist for a 403 and a proxy for a non-XML 200', () => {
    expect(diagnoseEwsStatus(403, 'text/plain', undefined)?.detail).toContain('IP_ALLOWLIST');
    expect(diagnoseEwsStatus(200, 'text/html', undefined)?.google).toBe('EWS response error');
    expect(diagnoseEwsStatus(200, 'text/xml; charset=utf-8', undefined)).toBeUndefined();
  });

  it('accepts a token answer only with an access_token', () => {
    expect(diagnoseTokenAnswer(200, '{"access_token":"a.b.c","token_type":"Bearer"}')).toEqual({
      ok: true,
      accessToken: 'a.b.c',
    });
    expect(diagnoseTokenAnswer(200, '<html/>').ok).toBe(false);
  });

  it("warns about http:// in Google's words", () => {
    expect(diagnoseUrl(new URL('http://relay.example.com'))?.google).toBe(
      'EWS communication error',
    );
    expect(diagnoseUrl(URL_)).toBeUndefined();
  });
});
