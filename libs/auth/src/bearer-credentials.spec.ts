import { bearerChallenge, presentedBearer } from './bearer-credentials';

describe('presentedBearer', () => {
  it('reads `Bearer <jwt>` with any letter case of the scheme', () => {
    expect(presentedBearer('Bearer aa.bb.cc')).toEqual({ kind: 'token', token: 'aa.bb.cc' });
    expect(presentedBearer('bearer aa.bb.cc')).toEqual({ kind: 'token', token: 'aa.bb.cc' });
    expect(presentedBearer('Bearer aa.bb.')).toEqual({ kind: 'token', token: 'aa.bb.' });
  });

  it.each([undefined, '', '   '])('reads %p as missing', (header) => {
    expect(presentedBearer(header)).toEqual({ kind: 'missing' });
  });

  it.each([
    'Bearer',
    'Bearer ',
    'Basic aa.bb.cc',
    'Bearer aa.bb',
    'Bearer aa.bb.cc dd',
    'Bearer a+b.c.d',
    'aa.bb.cc',
  ])('reads %p as malformed', (header) => {
    expect(presentedBearer(header)).toEqual({ kind: 'malformed' });
  });
});

describe('bearerChallenge', () => {
  it('has no error code when no credentials were sent (RFC 6750 3.1)', () => {
    expect(bearerChallenge('missing')).toBe('Bearer realm="calendar-relay"');
  });

  it('says invalid_token, and nothing more, for anything else', () => {
    expect(bearerChallenge('malformed')).toBe(
      'Bearer realm="calendar-relay", error="invalid_token"',
    );
    expect(bearerChallenge('token')).toBe('Bearer realm="calendar-relay", error="invalid_token"');
  });
});
