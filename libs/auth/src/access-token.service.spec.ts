import type { RelayConfig, RelayConfigStore } from '@app/config';
import * as accessToken from './access-token';
import { AccessTokenService, VERIFIED_TOKEN_MEMORY } from './access-token.service';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const LIFETIME_SECONDS = 3600;

function configWith(
  google: { clientId?: string; secret: string; previous?: string },
  tenants: readonly { name: string; google?: { clientId: string; clientSecret: string } }[] = [],
) {
  return {
    google: {
      clientId: google.clientId ?? 'google',
      clientSecret: google.secret,
      previousClientSecret: google.previous,
    },
    tenants,
    token: { issuer: 'calendar-relay', lifetimeSeconds: LIFETIME_SECONDS },
  } as unknown as RelayConfig;
}

describe('AccessTokenService: verified tokens are remembered, with the same answers', () => {
  let current: RelayConfig;
  let service: AccessTokenService;
  const store = { current: () => current } as unknown as RelayConfigStore;
  const at = (ms: number) => new Date(T0 + ms);

  beforeEach(() => {
    current = configWith({ secret: 'secret-one' });
    service = new AccessTokenService(store);
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks the signature of a token once, not on every request', async () => {
    const verify = jest.spyOn(accessToken, 'verifyAccessToken');
    const issued = await service.issue(undefined, at(0));
    for (let i = 1; i <= 5; i++) {
      await expect(service.verify(issued.token, at(i * 1000))).resolves.toEqual({
        clientId: 'google',
        tokenId: issued.tokenId,
        expiresAt: issued.expiresAt,
      });
    }
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token from the instant a fresh verification would call it expired', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    const edgeMs = (LIFETIME_SECONDS + accessToken.CLOCK_TOLERANCE_SECONDS) * 1000;
    for (const ms of [edgeMs - 1001, edgeMs - 1, edgeMs, edgeMs + 1, edgeMs + 60_000]) {
      const fresh = await new AccessTokenService(store)
        .verify(issued.token, at(ms))
        .then(() => 'accepted')
        .catch((e: accessToken.AccessTokenRejectedError) => e.reason);
      const remembered = await service
        .verify(issued.token, at(ms))
        .then(() => 'accepted')
        .catch((e: accessToken.AccessTokenRejectedError) => e.reason);
      expect({ ms, remembered }).toEqual({ ms, remembered: fresh });
    }
    expect(await new AccessTokenService(store).verify(issued.token, at(edgeMs - 1))).toBeDefined();
    await expect(service.verify(issued.token, at(edgeMs))).rejects.toMatchObject({
      reason: 'expired',
    });
  });

  it('refuses a remembered token once the client secret is rotated without a grace period', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    current = configWith({ secret: 'secret-two' });
    await expect(service.verify(issued.token, at(2000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
  });

  it('keeps accepting it while the previous secret is in its grace period, and not after', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    current = configWith({ secret: 'secret-two', previous: 'secret-one' });
    await expect(service.verify(issued.token, at(2000))).resolves.toMatchObject({
      tokenId: issued.tokenId,
    });
    current = configWith({ secret: 'secret-two' });
    await expect(service.verify(issued.token, at(3000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
  });

  it('refuses it when the configured client id changes', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    current = configWith({ clientId: 'someone-else', secret: 'secret-one' });
    await expect(service.verify(issued.token, at(2000))).rejects.toMatchObject({
      reason: 'unknown client',
    });
  });

  it("keeps every other client's tokens when one client's secret is rotated or its tenant removed", async () => {
    const fabrikam = (clientSecret: string) => ({
      name: 'fabrikam',
      google: { clientId: 'fabrikam-google', clientSecret },
    });
    current = configWith({ secret: 'secret-one' }, [fabrikam('fabrikam-one')]);
    const [global, own] = service.clients();
    const globalToken = await service.issue(global, at(0));
    const fabrikamToken = await service.issue(own, at(0));
    await expect(service.verify(fabrikamToken.token, at(1000))).resolves.toMatchObject({
      tenant: 'fabrikam',
    });

    current = configWith({ secret: 'secret-two' }, [fabrikam('fabrikam-one')]);
    await expect(service.verify(fabrikamToken.token, at(2000))).resolves.toBeDefined();
    current = configWith({ secret: 'secret-one' }, [fabrikam('fabrikam-two')]);
    await expect(service.verify(globalToken.token, at(3000))).resolves.toBeDefined();
    await expect(service.verify(fabrikamToken.token, at(3000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
    current = configWith({ secret: 'secret-one' });
    await expect(service.verify(globalToken.token, at(4000))).resolves.toBeDefined();
    await expect(service.verify(fabrikamToken.token, at(4000))).rejects.toMatchObject({
      reason: 'unknown client',
    });
  });

  it('does not take a tampered copy of a remembered token for it', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    const [header, payload] = issued.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    await expect(service.verify(forged, at(2000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
  });

  it(`remembers at most ${VERIFIED_TOKEN_MEMORY} tokens, forgetting the oldest`, async () => {
    const tokens: string[] = [];
    for (let i = 0; i <= VERIFIED_TOKEN_MEMORY; i++) {
      const issued = await service.issue(undefined, at(0));
      await service.verify(issued.token, at(1000));
      tokens.push(issued.token);
    }
    const verify = jest.spyOn(accessToken, 'verifyAccessToken');
    await service.verify(tokens[tokens.length - 1], at(2000));
    expect(verify).toHaveBeenCalledTimes(0);
    await service.verify(tokens[0], at(2000));
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
