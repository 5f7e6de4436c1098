import { Logger, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseRelayConfig, RelayConfigStore } from '@app/config';
import { requestContextOf } from '@app/request-context';
import { AccessTokenService } from './access-token.service';
import { BearerTokenGuard, BearerTokenRejectedException } from './bearer-token.guard';

/** A real configuration: the global Google client and fabrikam's own, as the relay parses them. */
const env = (google: Record<string, string> = {}) =>
  parseRelayConfig({
    GOOGLE_CLIENT_ID: 'google',
    GOOGLE_CLIENT_SECRET: 'current-secret',
    ...google,
    TENANTS: 'fabrikam',
    TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
    TENANT_FABRIKAM_GRAPH_CLIENT_ID: 'fabrikam-app',
    TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'fabrikam-graph-secret',
    TENANT_FABRIKAM_GRAPH_AUTHORITY: 'https://login.microsoftonline.com/fabrikam.com',
    TENANT_FABRIKAM_GOOGLE_CLIENT_ID: 'fabrikam-google',
    TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'fabrikam-secret',
  });
const tokens = new AccessTokenService(new RelayConfigStore(env()));
const guard = new BearerTokenGuard(tokens);

function contextFor(authorization?: string) {
  const request = {
    id: 'req-1',
    ip: '203.0.113.9',
    headers: authorization === undefined ? {} : { authorization },
  } as unknown as FastifyRequest;
  const headers: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  } as unknown as FastifyReply;
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

describe('BearerTokenGuard', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("lets a valid token through and leaves the caller in the request's context", async () => {
    const issued = await tokens.issue();
    const { context, request } = contextFor(`Bearer ${issued.token}`);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(requestContextOf(request).caller).toEqual({
      clientId: 'google',
      tokenId: issued.tokenId,
      expiresAt: issued.expiresAt,
    });
  });

  it("leaves the tenant of a tenant's own Google client in the caller", async () => {
    const [, fabrikam] = tokens.clients();
    const issued = await tokens.issue(fabrikam);
    const { context, request } = contextFor(`Bearer ${issued.token}`);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(requestContextOf(request).caller).toMatchObject({
      clientId: 'fabrikam-google',
      tenant: 'fabrikam',
    });
  });

  it('refuses with the challenge on the exception and on the reply, logging why but not the token', async () => {
    const issued = await tokens.issue();
    const tampered = issued.token.slice(0, -4) + 'AAAA';
    const { context, request, headers } = contextFor(`Bearer ${tampered}`);
    const refusal = await guard.canActivate(context).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(BearerTokenRejectedException);
    const exception = refusal as BearerTokenRejectedException;
    expect(exception.getStatus()).toBe(401);
    expect(exception.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="calendar-relay", error="invalid_token"',
    });
    expect(headers).toEqual(exception.headers);
    expect(requestContextOf(request).caller).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'bad signature', clientIp: '203.0.113.9' }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain(tampered.split('.')[2]);
  });

  it('answers a request without credentials with the bare challenge', async () => {
    const { context, headers } = contextFor(undefined);
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(BearerTokenRejectedException);
    expect(headers['WWW-Authenticate']).toBe('Bearer realm="calendar-relay"');
  });

  it('follows the configuration in force: old tokens live on only while the previous secret is kept', async () => {
    const store = new RelayConfigStore(env());
    const service = new AccessTokenService(store);
    const rotatingGuard = new BearerTokenGuard(service);
    const { token } = await service.issue();

    store.update(
      env({ GOOGLE_CLIENT_SECRET: 'next-secret', GOOGLE_CLIENT_SECRET_PREVIOUS: 'current-secret' }),
    );
    await expect(rotatingGuard.canActivate(contextFor(`Bearer ${token}`).context)).resolves.toBe(
      true,
    );
    store.update(env({ GOOGLE_CLIENT_SECRET: 'next-secret' }));
    await expect(
      rotatingGuard.canActivate(contextFor(`Bearer ${token}`).context),
    ).rejects.toBeInstanceOf(BearerTokenRejectedException);
  });
});
