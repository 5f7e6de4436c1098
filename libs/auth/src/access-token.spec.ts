import { base64url, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
  ACCESS_TOKEN_AUDIENCE,
  AccessTokenRejectedError,
  signAccessToken,
  verifyAccessToken,
  type AccessTokenRejectionReason,
  type ClientVerification,
} from './access-token';
import { deriveTokenKey } from './token-keys';

const key = deriveTokenKey('current-secret');
const oldKey = deriveTokenKey('old-secret');
const fabrikamKey = deriveTokenKey('fabrikam-secret');
const now = new Date('2024-03-11T09:00:00Z');
const issue = (over: Partial<Parameters<typeof signAccessToken>[0]> = {}) =>
  signAccessToken({
    clientId: 'google',
    issuer: 'calendar-relay',
    lifetimeSeconds: 3600,
    key,
    now,
    ...over,
  });
/** The configured clients: `google` (the global one) and fabrikam's own, each with its keys. */
const verify = (
  token: string,
  over: { keys?: Uint8Array[]; clients?: Record<string, ClientVerification>; now?: Date } = {},
) => {
  const clients = over.clients ?? {
    google: { keys: over.keys ?? [key] },
    'fabrikam-google': { keys: [fabrikamKey], tenant: 'fabrikam' },
  };
  return verifyAccessToken(token, {
    issuer: 'calendar-relay',
    clientOf: (clientId) => (Object.hasOwn(clients, clientId) ? clients[clientId] : undefined),
    now: over.now ?? now,
  });
};

async function reasonOf(promise: Promise<unknown>): Promise<AccessTokenRejectionReason> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AccessTokenRejectedError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

/** A token with arbitrary header and claims, signed with `signingKey` (HS256 unless told). */
function handMade(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' },
  signingKey = key,
) {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(signingKey);
}

const validClaims = () => ({
  iss: 'calendar-relay',
  aud: ACCESS_TOKEN_AUDIENCE,
  sub: 'google',
  iat: now.getTime() / 1000,
  exp: now.getTime() / 1000 + 3600,
  jti: 'id-1',
});

describe('signAccessToken', () => {
  it('issues a JWT-shaped HS256 token with issuer, audience, subject, times and id', async () => {
    const issued = await issue({ tokenId: 'fixed-id' });
    expect(issued.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(decodeJwt(issued.token)).toEqual({
      iss: 'calendar-relay',
      aud: 'calendar-relay:ews',
      sub: 'google',
      iat: 1710147600,
      exp: 1710151200,
      jti: 'fixed-id',
    });
    expect(issued.expiresAt).toEqual(new Date('2024-03-11T10:00:00Z'));
  });

  it("names the tenant of a tenant's own client in the token", async () => {
    const issued = await issue({ clientId: 'fabrikam-google', tenant: 'fabrikam' });
    expect(decodeJwt(issued.token)).toMatchObject({ sub: 'fabrikam-google', tenant: 'fabrikam' });
    expect(issued.tenant).toBe('fabrikam');
  });

  it('gives every token its own id', async () => {
    expect((await issue()).tokenId).not.toBe((await issue()).tokenId);
  });
});

describe('verifyAccessToken', () => {
  it('returns the caller of a valid token', async () => {
    const { token } = await issue({ tokenId: 'abc' });
    await expect(verify(token)).resolves.toEqual({
      clientId: 'google',
      tokenId: 'abc',
      issuedAt: now,
      expiresAt: new Date('2024-03-11T10:00:00Z'),
    });
  });

  it('accepts a token signed with a later key in the list (rotation), not with an unlisted one', async () => {
    const { token } = await issue({ key: oldKey });
    await expect(verify(token, { keys: [key, oldKey] })).resolves.toMatchObject({
      clientId: 'google',
    });
    expect(await reasonOf(verify(token))).toBe('bad signature');
  });

  it("returns a tenant client's token with its tenant, verified with that client's key only", async () => {
    const own = { clientId: 'fabrikam-google', tenant: 'fabrikam', key: fabrikamKey };
    const { token } = await issue(own);
    await expect(verify(token)).resolves.toMatchObject({
      clientId: 'fabrikam-google',
      tenant: 'fabrikam',
    });
    // Signed with the global client's key: another client's key never verifies it.
    expect(await reasonOf(verify((await issue({ ...own, key })).token))).toBe('bad signature');
  });

  it('refuses a token whose client is gone, or whose client is now for another tenant', async () => {
    const { token } = await issue({ clientId: 'fabrikam-google', tenant: 'fabrikam', key });
    // The tenant was removed from TENANTS: its client went with it.
    expect(await reasonOf(verify(token, { clients: { google: { keys: [key] } } }))).toBe(
      'unknown client',
    );
    // The same client id (and key) now belongs to another tenant, or is the global client.
    for (const tenant of ['contoso', undefined]) {
      const clients = { 'fabrikam-google': { keys: [key], tenant } };
      expect(await reasonOf(verify(token, { clients }))).toBe('tenant changed');
    }
    // And a global client's token does not become a tenant's.
    const global = (await issue()).token;
    expect(
      await reasonOf(verify(global, { clients: { google: { keys: [key], tenant: 'contoso' } } })),
    ).toBe('tenant changed');
  });

  it('refuses an expired token, with 30 s of tolerance for clock skew between replicas', async () => {
    const { token } = await issue();
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    await expect(verify(token, { now: at(3600 + 29) })).resolves.toBeDefined();
    expect(await reasonOf(verify(token, { now: at(3600 + 31) }))).toBe('expired');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const { token } = await issue();
    const [header, , signature] = token.split('.');
    const payload = base64url.encode(JSON.stringify({ ...validClaims(), sub: 'google', exp: 9e9 }));
    expect(await reasonOf(verify(`${header}.${payload}.${signature}`))).toBe('bad signature');
  });

  it.each<[string, () => string | Promise<string>, AccessTokenRejectionReason]>([
    [
      'alg none',
      () => {
        const enc = (v: object) => base64url.encode(JSON.stringify(v));
        return `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(validClaims())}.`;
      },
      'algorithm not allowed',
    ],
    [
      'HS512 with the right key',
      () =>
        handMade(
          validClaims(),
          { alg: 'HS512', typ: 'at+jwt' },
          new Uint8Array(Buffer.concat([key, key])),
        ),
      'algorithm not allowed',
    ],
    [
      'a wrong key',
      () => handMade(validClaims(), undefined, deriveTokenKey('guess')),
      'bad signature',
    ],
    ['another issuer', () => handMade({ ...validClaims(), iss: 'someone-else' }), 'wrong issuer'],
    [
      'another audience',
      () => handMade({ ...validClaims(), aud: 'https://graph.microsoft.com' }),
      'wrong audience',
    ],
    ['no audience', () => handMade({ ...validClaims(), aud: undefined }), 'wrong audience'],
    ['another subject', () => handMade({ ...validClaims(), sub: 'not-google' }), 'unknown client'],
    ['no subject', () => handMade({ ...validClaims(), sub: undefined }), 'claims missing'],
    ['no token id', () => handMade({ ...validClaims(), jti: undefined }), 'claims missing'],
    ['no expiry', () => handMade({ ...validClaims(), exp: undefined }), 'claims missing'],
    [
      'another token type (an ID token)',
      () => handMade(validClaims(), { alg: 'HS256', typ: 'JWT' }),
      'wrong type',
    ],
  ])('refuses %s', async (_name, make, reason) => {
    expect(await reasonOf(verify(await make()))).toBe(reason);
  });

  it('refuses garbage as malformed', async () => {
    for (const token of ['a.b.c', 'not-a-jwt', '', 'eyJhbGciOiJIUzI1NiJ9..']) {
      expect(await reasonOf(verify(token))).toMatch(/malformed|bad signature/);
    }
  });
});
