import { HealthIndicatorService } from '@nestjs/terminus';
import { parseRelayConfig, RelayConfigStore, type ConfigSourceHealth } from '@app/config';
import { SecretSourceHealthIndicator } from './secret-source.health';

function storeWith(
  health: readonly ConfigSourceHealth[],
  env: Record<string, string> = {},
): RelayConfigStore {
  const store = new RelayConfigStore(
    parseRelayConfig({
      GOOGLE_CLIENT_ID: 'google-interop',
      GOOGLE_CLIENT_SECRET: 'a-secret-of-some-length',
      ...env,
    }),
  );
  jest.spyOn(store, 'sourceHealth').mockReturnValue(health);
  return store;
}

const vaultDown: ConfigSourceHealth = {
  name: 'vault',
  healthy: false,
  detail: 'secret/data/calendar-relay at http://127.0.0.1:8200: connect ECONNREFUSED',
  lastRefreshAt: new Date('2026-11-29T10:00:00Z'),
  failingSince: new Date('2026-11-29T10:05:00Z'),
};

describe('SecretSourceHealthIndicator', () => {
  const check = (store: RelayConfigStore) =>
    new SecretSourceHealthIndicator(store, new HealthIndicatorService()).check();

  it('lists each source as healthy', () => {
    expect(
      check(storeWith([{ name: 'env', healthy: true, detail: 'process environment' }])),
    ).toEqual({
      secrets: {
        status: 'up',
        sources: [{ name: 'env', healthy: true, detail: 'process environment' }],
      },
    });
  });

  it('reports a failing Vault, since when, and that the last good secrets are served, staying up by default', () => {
    expect(check(storeWith([vaultDown]))).toEqual({
      secrets: {
        status: 'up',
        serving: 'the last good secrets',
        sources: [
          {
            name: 'vault',
            healthy: false,
            detail: vaultDown.detail,
            lastRefreshAt: '2026-11-29T10:00:00.000Z',
            failingSince: '2026-11-29T10:05:00.000Z',
          },
        ],
      },
    });
  });

  it('fails readiness for a failing Vault when READINESS_REQUIRES_SECRET_SOURCE=true', () => {
    const result = check(storeWith([vaultDown], { READINESS_REQUIRES_SECRET_SOURCE: 'true' }));
    expect(result.secrets.status).toBe('down');
    const healthy = check(
      storeWith([{ ...vaultDown, healthy: true, failingSince: undefined }], {
        READINESS_REQUIRES_SECRET_SOURCE: 'true',
      }),
    );
    expect(healthy.secrets.status).toBe('up');
  });
});
