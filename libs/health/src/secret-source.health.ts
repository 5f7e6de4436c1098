import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { RelayConfigStore } from '@app/config';

/**
 * The configuration sources (Vault, SECRETS_DIR, env) in /health/ready: each with whether its
 * last read worked, when, and since when it fails. A source that fails after start-up is shown
 * as `healthy: false` while the relay keeps serving with the last good secrets.
 *
 * It fails readiness only with READINESS_REQUIRES_SECRET_SOURCE=true. By default it does not:
 * every replica reads the same Vault, so a Vault outage would take every replica out of the load
 * balancer at once and turn a Vault blip into a free/busy outage, although the relay can still
 * answer with the secrets it holds. The outage is visible here, in the log, and in monitoring.
 */
@Injectable()
export class SecretSourceHealthIndicator {
  constructor(
    private readonly store: RelayConfigStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'secrets'): HealthIndicatorResult {
    const sources = this.store.sourceHealth().map((s) => ({
      name: s.name,
      healthy: s.healthy,
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
      ...(s.lastRefreshAt !== undefined ? { lastRefreshAt: s.lastRefreshAt.toISOString() } : {}),
      ...(s.failingSince !== undefined ? { failingSince: s.failingSince.toISOString() } : {}),
    }));
    const failing = sources.some((s) => !s.healthy);
    const data: { sources: typeof sources; serving?: string } = failing
      ? { sources, serving: 'the last good secrets' }
      : { sources };
    const indicator = this.indicators.check(key);
    return failing && this.store.current().readinessRequiresSecretSource
      ? indicator.down(data)
      : indicator.up(data);
  }
}
