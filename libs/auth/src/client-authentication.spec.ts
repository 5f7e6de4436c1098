import {
  authenticateAmong,
  authenticateClient,
  configuredClientNamed,
  secretsEqual,
} from './client-authentication';
import type { PresentedClient } from './token-request';

const presented = (clientId: string, clientSecret: string): PresentedClient => ({
  method: 'client_secret_post',
  spellings: [{ clientId, clientSecret }],
});

describe('secretsEqual', () => {
  it('compares strings of any length without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'x'.repeat(1000))).toBe(false);
    expect(secretsEqual('é', 'e\u0301')).toBe(false);
  });
});

describe('authenticateClient', () => {
  const configured = { clientId: 'google', clientSecret: 'new-secret' };

  it('accepts the configured id and secret', () => {
    expect(authenticateClient(presented('google', 'new-secret'), configured)).toBe('current');
  });

  it('refuses a wrong secret, a wrong id, or the right secret under another id', () => {
    expect(authenticateClient(presented('google', 'new-secreT'), configured)).toBeUndefined();
    expect(authenticateClient(presented('other', 'new-secret'), configured)).toBeUndefined();
    expect(authenticateClient(presented('Google', 'new-secret'), configured)).toBeUndefined();
  });

  it('accepts the previous secret during a rotation, and says so', () => {
    const rotating = { ...configured, previousClientSecret: 'old-secret' };
    expect(authenticateClient(presented('google', 'old-secret'), rotating)).toBe('previous');
    expect(authenticateClient(presented('google', 'new-secret'), rotating)).toBe('current');
    expect(authenticateClient(presented('google', 'old-secret'), configured)).toBeUndefined();
  });

  it('accepts when any reading of Basic credentials matches', () => {
    const client: PresentedClient = {
      method: 'client_secret_basic',
      spellings: [
        { clientId: 'google', clientSecret: 'a b' },
        { clientId: 'google', clientSecret: 'a+b' },
      ],
    };
    expect(authenticateClient(client, { clientId: 'google', clientSecret: 'a+b' })).toBe('current');
    expect(authenticateClient(client, { clientId: 'google', clientSecret: 'a b' })).toBe('current');
    expect(authenticateClient(client, { clientId: 'google', clientSecret: 'ab' })).toBeUndefined();
  });
});

describe("authenticateAmong: the global Google client and the tenants' own", () => {
  const global = { clientId: 'google', clientSecret: 'global-secret' };
  const fabrikam = {
    clientId: 'fabrikam-google',
    clientSecret: 'fabrikam-new',
    previousClientSecret: 'fabrikam-old',
    tenant: 'fabrikam',
  };
  const clients = [global, fabrikam];

  it('finds the client the credentials authenticate, with the secret they used', () => {
    expect(authenticateAmong(presented('google', 'global-secret'), clients)).toEqual({
      client: global,
      secret: 'current',
    });
    expect(authenticateAmong(presented('fabrikam-google', 'fabrikam-old'), clients)).toEqual({
      client: fabrikam,
      secret: 'previous',
    });
  });

  it("refuses one client's secret under another client's id", () => {
    expect(authenticateAmong(presented('google', 'fabrikam-new'), clients)).toBeUndefined();
    expect(authenticateAmong(presented('fabrikam-google', 'global-secret'), clients)).toBe(
      undefined,
    );
  });

  it('names the configured client of a presented id, whatever the secret, and no invented one', () => {
    expect(configuredClientNamed(presented('fabrikam-google', 'guess'), clients)).toBe(fabrikam);
    expect(configuredClientNamed(presented('invented', 'guess'), clients)).toBeUndefined();
  });
});
