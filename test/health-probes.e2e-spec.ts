import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AvailabilityProvider,
  type AvailabilityQuery,
  type AvailabilityResult,
  type ReadinessReport,
  type TenantRoute,
} from '@app/availability';
import { parseRelayConfig, RelayConfigStore } from '@app/config';
import { DemoAvailabilityProvider } from '@app/demo';
import { SHUTDOWN_DRAIN_MS } from '@app/health';
import { availabilityRequest } from './support/ews-request-bodies';
import { baseUrlOf, bearerTokenFor, requestToken, startRelay } from './support/relay-app';

/**
 * The probes Kubernetes and monitoring call, and what they say while the relay shuts down.
 */

const demo = new DemoAvailabilityProvider(
  new RelayConfigStore(parseRelayConfig({ GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 's' })),
);

/** The demo calendars behind a provider whose readiness and lookups a test controls. */
class ControlledProvider extends AvailabilityProvider {
  readonly name = 'controlled';
  readiness: () => Promise<ReadinessReport> = () => Promise.resolve({ ready: true });
  /** Resolved by the test to let pending lookups answer. */
  private release?: () => void;
  private gate: Promise<void> = Promise.resolve();
  lookupsStarted = 0;

  holdLookups(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  releaseLookups(): void {
    this.release?.();
  }
  routes(): readonly TenantRoute[] {
    return demo.routes();
  }
  async lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    this.lookupsStarted++;
    await this.gate;
    return demo.lookup(query);
  }
  checkReadiness(): Promise<ReadinessReport> {
    return this.readiness();
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('health probes', () => {
  const provider = new ControlledProvider();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay(
      {},
      { overrides: [{ provide: AvailabilityProvider, useValue: provider }] },
    );
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    provider.readiness = () => Promise.resolve({ ready: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('reports live and ready without a token', async () => {
    const live = await get('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok' });

    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['cache-control']).toMatch(/no-store/);
    const secrets = {
      status: 'up',
      sources: [{ name: 'env', healthy: true, detail: 'process environment' }],
    };
    expect(ready.json()).toEqual({
      status: 'ok',
      info: {
        shutdown: { status: 'up' },
        availability: { status: 'up', provider: 'controlled' },
        secrets,
      },
      error: {},
      details: {
        shutdown: { status: 'up' },
        availability: { status: 'up', provider: 'controlled' },
        secrets,
      },
    });
  });

  it('answers /health-check with a plain 200 "ok" for monitors', async () => {
    const res = await get('/health-check');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('ok');
    expect((await app.inject({ method: 'HEAD', url: '/health-check' })).statusCode).toBe(200);
  });

  it('turns readiness and /health-check to 503 when the provider cannot serve, but stays live', async () => {
    provider.readiness = () =>
      Promise.resolve({ ready: false, detail: 'cannot obtain a Microsoft Graph token' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'error',
      error: { availability: { status: 'down', detail: 'cannot obtain a Microsoft Graph token' } },
    });
    const check = await get('/health-check');
    expect(check.statusCode).toBe(503);
    expect(check.body).toBe('unavailable');
    expect((await get('/health/live')).statusCode).toBe(200);
  });

  it('turns readiness to 503 when the provider check fails, without its error text', async () => {
    provider.readiness = () =>
      Promise.reject(new Error('AADSTS7000215: Invalid client secret abc123'));
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.body).not.toContain('abc123');
  });

  it('recovers as soon as the provider does', async () => {
    provider.readiness = () => Promise.resolve({ ready: false });
    expect((await get('/health/ready')).statusCode).toBe(503);
    provider.readiness = () => Promise.resolve({ ready: true });
    expect((await get('/health/ready')).statusCode).toBe(200);
  });

  it('serves the demo provider as ready by default', async () => {
    const demoApp = await startRelay();
    try {
      const ready = await demoApp.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ info: { availability: { provider: 'demo' } } });
    } finally {
      await demoApp.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('reports not-ready during the drain while still serving tokens, lookups and liveness', async () => {
    const app = await startRelay(
      {},
      { overrides: [{ provide: SHUTDOWN_DRAIN_MS, useValue: 600 }] },
    );
    const token = await bearerTokenFor(app);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    const started = Date.now();
    const closing = app.close();
    let ready = await app.inject({ method: 'GET', url: '/health/ready' });
    // The first shutdown hook flips readiness a few microtasks after close() begins.
    while (ready.statusCode === 200 && Date.now() - started < 100) {
      ready = await app.inject({ method: 'GET', url: '/health/ready' });
    }
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ error: { shutdown: { status: 'down', draining: true } } });
    expect((await app.inject({ method: 'GET', url: '/health-check' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await requestToken(app)).statusCode).toBe(200);
    const lookup = await app.inject({
      method: 'POST',
      url: '/EWS/Exchange.asmx',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml' },
      payload: availabilityRequest(['adele.vance@contoso.com']),
    });
    expect(lookup.statusCode).toBe(200);
    // Callers are told to reconnect (to a replica that stays) rather than keep this connection.
    expect(lookup.headers.connection).toBe('close');

    await closing;
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('lets an in-flight lookup finish before the listener closes', async () => {
    const provider = new ControlledProvider();
    const app = await startRelay(
      {},
      { listen: true, overrides: [{ provide: AvailabilityProvider, useValue: provider }] },
    );
    const base = baseUrlOf(app);
    const token = await bearerTokenFor(app);
    provider.holdLookups();

    const inFlight = fetch(`${base}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      body: availabilityRequest(['adele.vance@contoso.com']),
    });
    await until(() => provider.lookupsStarted === 1, 'the lookup to reach the provider');

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);

    provider.releaseLookups();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('FreeBusyResponse');
    // The keep-alive connection ends with the response, so the close does not wait for the
    // idle timeout (72 s, longer than Kubernetes' grace period).
    expect(res.headers.get('connection')).toBe('close');
    const releasedAt = Date.now();
    await closing;
    expect(Date.now() - releasedAt).toBeLessThan(2000);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });
});
