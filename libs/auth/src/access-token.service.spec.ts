import { parseRelayConfig, RelayConfigStore, type RelayConfig } from '@app/config';
import * as accessToken from './access-token';
import { AccessTokenService, VERIFIED_TOKEN_MEMORY } from './access-token.service';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const LIFETIME_SECONDS = 3600;

/** A real configuration, as the relay parses it: the Google client(s) a test varies. */
function configWith(
  google: { clientId?: string; secret: string; previous?: string },
  tenants: readonly { name: string; google?: { clientId: string; clientSecret: string } }[] = [],
): RelayConfig {
  const tenantKeys = tenants.flatMap(({ name, google: own }) => {
    const key = `TENANT_${name.toUpperCase()}_`;
    return [
      [`${key}DOMAINS`, `${name}.example`],
      [`${key}GRAPH_CLIENT_ID`, `${name}-app`],
      [`${key}GRAPH_CLIENT_SECRET`, `${name}-graph-secret`],
      [`${key}GRAPH_AUTHORITY`, `https://login.microsoftonline.com/${name}.example`],
      ...(own !== undefined
        ? [
            [`${key}GOOGLE_CLIENT_ID`, own.clientId],
            [`${key}GOOGLE_CLIENT_SECRET`, own.clientSecret],
          ]
        : []),
    ];
  });
  return parseRelayConfig({
    GOOGLE_CLIENT_ID: google.clientId ?? 'google',
    GOOGLE_CLIENT_SECRET: google.secret,
    ...(google.previous !== undefined ? { GOOGLE_CLIENT_SECRET_PREVIOUS: google.previous } : {}),
    TOKEN_LIFETIME_SECONDS: String(LIFETIME_SECONDS),
    ...(tenants.length > 0 ? { TENANTS: tenants.map((t) => t.name).join(',') } : {}),
    ...Object.fromEntries(tenantKeys),
  });
}

describe('AccessTokenService: verified tokens are remembered, with the same answers', () => {
  let store: RelayConfigStore;
  let service: AccessTokenService;
  const at = (ms: number) => new Date(T0 + ms);

  beforeEach(() => {
    store = new RelayConfigStore(configWith({ secret: 'secret-one' }));
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
    store.update(configWith({ secret: 'secret-two' }));
    await expect(service.verify(issued.token, at(2000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
  });

  it('keeps accepting it while the previous secret is in its grace period, and not after', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    store.update(configWith({ secret: 'secret-two', previous: 'secret-one' }));
    await expect(service.verify(issued.token, at(2000))).resolves.toMatchObject({
      tokenId: issued.tokenId,
    });
    store.update(configWith({ secret: 'secret-two' }));
    await expect(service.verify(issued.token, at(3000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
  });

  it('refuses it when the configured client id changes', async () => {
    const issued = await service.issue(undefined, at(0));
    await service.verify(issued.token, at(1000));
    store.update(configWith({ clientId: 'someone-else', secret: 'secret-one' }));
    await expect(service.verify(issued.token, at(2000))).rejects.toMatchObject({
      reason: 'unknown client',
    });
  });

  it("keeps every other client's tokens when one client's secret is rotated or its tenant removed", async () => {
    const fabrikam = (clientSecret: string) => ({
      name: 'fabrikam',
      google: { clientId: 'fabrikam-google', clientSecret },
    });
    store.update(configWith({ secret: 'secret-one' }, [fabrikam('fabrikam-one')]));
    const [global, own] = service.clients();
    const globalToken = await service.issue(global, at(0));
    const fabrikamToken = await service.issue(own, at(0));
    await expect(service.verify(fabrikamToken.token, at(1000))).resolves.toMatchObject({
      tenant: 'fabrikam',
    });

    store.update(configWith({ secret: 'secret-two' }, [fabrikam('fabrikam-one')]));
    await expect(service.verify(fabrikamToken.token, at(2000))).resolves.toBeDefined();
    store.update(configWith({ secret: 'secret-one' }, [fabrikam('fabrikam-two')]));
    await expect(service.verify(globalToken.token, at(3000))).resolves.toBeDefined();
    await expect(service.verify(fabrikamToken.token, at(3000))).rejects.toMatchObject({
      reason: 'bad signature',
    });
    store.update(configWith({ secret: 'secret-one' }));
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
