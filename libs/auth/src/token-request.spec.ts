import { parseBasicCredentials, parseTokenRequest } from './token-request';

const form = (fields: Record<string, string> | [string, string][]) => new URLSearchParams(fields);
const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

describe('parseTokenRequest', () => {
  it('reads Google-style body credentials, with or without grant_type', () => {
    for (const extra of [{}, { grant_type: 'client_credentials' }] as Record<string, string>[]) {
      expect(
        parseTokenRequest({ body: form({ client_id: 'id', client_secret: 's3cret', ...extra }) }),
      ).toEqual({
        ok: true,
        client: {
          method: 'client_secret_post',
          spellings: [{ clientId: 'id', clientSecret: 's3cret' }],
        },
      });
    }
  });

  it('ignores scope, resource and audience, even repeated resource/audience', () => {
    const body = form([
      ['client_id', 'id'],
      ['client_secret', 's'],
      ['scope', 'https://outlook.office365.com/.default'],
      ['resource', 'https://outlook.office365.com'],
      ['resource', 'https://example.com'],
      ['audience', 'a'],
      ['audience', 'b'],
    ]);
    expect(parseTokenRequest({ body }).ok).toBe(true);
  });

  it('reads HTTP Basic credentials form-decoded (RFC 6749 2.3.1), and raw as a second reading', () => {
    const parsed = parseTokenRequest({
      authorization: basic('my%20id:a%2Bb%3Ac+d'),
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(parsed).toEqual({
      ok: true,
      client: {
        method: 'client_secret_basic',
        spellings: [
          { clientId: 'my id', clientSecret: 'a+b:c d' },
          { clientId: 'my%20id', clientSecret: 'a%2Bb%3Ac+d' },
        ],
      },
    });
  });

  it('accepts Basic with no body at all (curl -u id:secret -X POST)', () => {
    expect(parseTokenRequest({ authorization: basic('id:secret'), body: undefined }).ok).toBe(true);
    expect(parseTokenRequest({ authorization: basic('id:secret'), body: Buffer.alloc(0) }).ok).toBe(
      true,
    );
  });

  it('allows a client_id in the body next to Basic when it names the same client', () => {
    expect(
      parseTokenRequest({ authorization: basic('id:secret'), body: form({ client_id: 'id' }) }).ok,
    ).toBe(true);
    expect(
      parseTokenRequest({ authorization: basic('id:secret'), body: form({ client_id: 'other' }) }),
    ).toMatchObject({ ok: false, error: 'invalid_request', basicAttempted: true });
  });

  it.each<[string, Parameters<typeof parseTokenRequest>[0], string]>([
    [
      'Basic and a body secret at once (RFC 6749 2.3)',
      { authorization: basic('id:secret'), body: form({ client_secret: 'secret' }) },
      'invalid_request',
    ],
    [
      'a repeated client_secret',
      {
        body: form([
          ['client_id', 'id'],
          ['client_secret', 'a'],
          ['client_secret', 'b'],
        ]),
      },
      'invalid_request',
    ],
    [
      'a repeated grant_type',
      {
        body: form([
          ['client_id', 'id'],
          ['client_secret', 'a'],
          ['grant_type', 'client_credentials'],
          ['grant_type', 'client_credentials'],
        ]),
      },
      'invalid_request',
    ],
    [
      'a repeated scope',
      {
        body: form([
          ['client_id', 'id'],
          ['client_secret', 'a'],
          ['scope', 'x'],
          ['scope', 'y'],
        ]),
      },
      'invalid_request',
    ],
    ['a JSON body', { body: { client_id: 'id', client_secret: 's' } }, 'invalid_request'],
    ['an XML body', { body: Buffer.from('<x/>') }, 'invalid_request'],
    [
      'an empty grant_type',
      { body: form({ grant_type: '', client_id: 'id', client_secret: 's' }) },
      'invalid_request',
    ],
    [
      'the password grant',
      { body: form({ grant_type: 'password', client_id: 'id', client_secret: 's' }) },
      'unsupported_grant_type',
    ],
    [
      'the authorization_code grant',
      { body: form({ grant_type: 'authorization_code', client_id: 'id', client_secret: 's' }) },
      'unsupported_grant_type',
    ],
    [
      'no credentials at all',
      { body: form({ grant_type: 'client_credentials' }) },
      'invalid_client',
    ],
    ['a client_id without a secret', { body: form({ client_id: 'id' }) }, 'invalid_client'],
    [
      'an empty client_secret',
      { body: form({ client_id: 'id', client_secret: '' }) },
      'invalid_client',
    ],
    [
      'a Basic header that is not base64',
      { authorization: 'Basic ***', body: undefined },
      'invalid_request',
    ],
    [
      'a Basic header without a colon',
      { authorization: basic('idsecret'), body: undefined },
      'invalid_request',
    ],
    [
      'a Basic header with an empty secret',
      { authorization: basic('id:'), body: undefined },
      'invalid_request',
    ],
    ['a bare "Basic"', { authorization: 'Basic', body: undefined }, 'invalid_request'],
  ])('refuses %s', (_name, input, error) => {
    const parsed = parseTokenRequest(input);
    expect(parsed).toMatchObject({ ok: false, error });
  });

  it('says whether Basic was attempted, so a 401 can carry the Basic challenge', () => {
    expect(parseTokenRequest({ authorization: 'basic !!', body: undefined })).toMatchObject({
      basicAttempted: true,
    });
    expect(parseTokenRequest({ body: form({}) })).toMatchObject({ basicAttempted: false });
  });

  it('never puts a presented secret into an error description', () => {
    const parsed = parseTokenRequest({
      body: form([
        ['client_id', 'id'],
        ['client_secret', 'hunter2-secret'],
        ['client_secret', 'hunter3'],
      ]),
    });
    expect(JSON.stringify(parsed)).not.toContain('hunter');
  });
});

describe('parseBasicCredentials', () => {
  it('keeps colons after the first one in the secret', () => {
    expect(parseBasicCredentials(basic('id:a:b'))).toEqual([
      { clientId: 'id', clientSecret: 'a:b' },
    ]);
  });

  it('reads a raw secret with a broken %-escape as typed', () => {
    expect(parseBasicCredentials(basic('id:100%'))).toEqual([
      { clientId: 'id', clientSecret: '100%' },
    ]);
  });

  it('decodes UTF-8', () => {
    expect(parseBasicCredentials(basic('id:sécret'))).toEqual([
      { clientId: 'id', clientSecret: 'sécret' },
    ]);
  });
});
