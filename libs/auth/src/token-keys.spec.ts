import { deriveTokenKey, tokenKeysFor } from './token-keys';

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

describe('deriveTokenKey', () => {
  it('derives the same 256-bit key from the same secret (replicas agree) and others from others', () => {
    expect(deriveTokenKey('secret')).toHaveLength(32);
    expect(hex(deriveTokenKey('secret'))).toBe(hex(deriveTokenKey('secret')));
    expect(hex(deriveTokenKey('secret'))).not.toBe(hex(deriveTokenKey('secret2')));
  });

  it('is HKDF-SHA256 with the relay salt and info (a change would invalidate every token)', () => {
    expect(hex(deriveTokenKey('secret'))).toBe(
      '284a06e3535ed49fe49eb10d3196084acc1c91b232a2707ddef2fcd7d0df7693',
    );
  });

  it('is not the secret itself', () => {
    expect(Buffer.from(deriveTokenKey('x'.repeat(32))).toString('utf8')).not.toContain('xxxx');
  });
});

describe('tokenKeysFor', () => {
  const google = { clientSecret: 'current' };

  it('signs with a key derived from the client secret when no signing key is configured', () => {
    const keys = tokenKeysFor(google);
    expect(hex(keys.signing)).toBe(hex(deriveTokenKey('current')));
    expect(keys.verifying.map(hex)).toEqual([hex(deriveTokenKey('current'))]);
  });

  it('also verifies with the previous secret key during a rotation', () => {
    const keys = tokenKeysFor({ ...google, previousClientSecret: 'old' });
    expect(hex(keys.signing)).toBe(hex(deriveTokenKey('current')));
    expect(keys.verifying.map(hex)).toEqual([
      hex(deriveTokenKey('current')),
      hex(deriveTokenKey('old')),
    ]);
  });

  it('uses TOKEN_SIGNING_KEY alone when configured', () => {
    const keys = tokenKeysFor({ ...google, previousClientSecret: 'old' }, 'k'.repeat(32));
    expect(hex(keys.signing)).toBe(hex(deriveTokenKey('k'.repeat(32))));
    expect(keys.verifying.map(hex)).toEqual([hex(keys.signing)]);
  });
});
