import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AvailabilityProvider, ReadinessReport } from '@app/availability';
import { parseRelayConfig, RelayConfigStore } from '@app/config';
import { AvailabilityHealthIndicator, READINESS_CHECK_TIMEOUT_MS } from './availability.health';

function providerWith(checkReadiness: () => Promise<ReadinessReport>): AvailabilityProvider {
  return { name: 'graph', routes: () => [], lookup: jest.fn(), checkReadiness };
}

describe('AvailabilityHealthIndicator', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  let log: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  const indicator = (check: () => Promise<ReadinessReport>, requireAll = false) =>
    new AvailabilityHealthIndicator(
      providerWith(check),
      new HealthIndicatorService(),
      new RelayConfigStore(
        parseRelayConfig({
          GOOGLE_CLIENT_ID: 'google',
          GOOGLE_CLIENT_SECRET: 'secret',
          READINESS_REQUIRES_ALL_TENANTS: String(requireAll),
        }),
      ),
    );

  it('is up with the provider name when the provider is ready', async () => {
    await expect(indicator(() => Promise.resolve({ ready: true })).check()).resolves.toEqual({
      availability: { status: 'up', provider: 'graph' },
    });
  });

  it("is down with the provider's reason when it is not", async () => {
    await expect(
      indicator(() =>
        Promise.resolve({ ready: false, detail: 'no Graph token: AADSTS7000215' }),
      ).check(),
    ).resolves.toEqual({
      availability: { status: 'down', provider: 'graph', detail: 'no Graph token: AADSTS7000215' },
    });
  });

  it('is down, without the exception text, when the check throws', async () => {
    const result = await indicator(() =>
      Promise.reject(new Error('client_secret=hunter2 rejected')),
    ).check();
    expect(result.availability.status).toBe('down');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(error).toHaveBeenCalled();
  });

  it('is down when the provider does not answer in time (a probe must not hang)', async () => {
    jest.useFakeTimers();
    const pending = indicator(() => new Promise<ReadinessReport>(() => undefined)).check();
    await jest.advanceTimersByTimeAsync(READINESS_CHECK_TIMEOUT_MS);
    await expect(pending).resolves.toMatchObject({
      availability: {
        status: 'down',
        detail: `no readiness answer within ${READINESS_CHECK_TIMEOUT_MS} ms`,
      },
    });
  });

  it('logs changes of readiness, not every probe', async () => {
    let report: ReadinessReport = { ready: true };
    const probe = indicator(() => Promise.resolve(report));
    await probe.check();
    await probe.check();
    expect(warn).not.toHaveBeenCalled();
    report = { ready: false, detail: 'token endpoint unreachable' };
    await probe.check();
    await probe.check();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({
      msg: 'not ready',
      detail: 'token endpoint unreachable',
    });
    report = { ready: true };
    await probe.check();
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ msg: 'ready' }));
  });
});
