import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AvailabilityProvider, type ReadinessReport } from '@app/availability';
import { RelayConfigStore } from '@app/config';

/** A readiness probe must answer within the kubelet's default probe timeout (1 s) and then some. */
export const READINESS_CHECK_TIMEOUT_MS = 3000;

/**
 * Readiness of the availability provider (Graph: can it get a token; demo: always). Logs only
 * changes, not every probe: a probe every few seconds would bury the lookups in the log.
 *
 * With several tenants the provider is ready while any tenant can serve: one tenant's Entra
 * outage or bad secret must not take the relay (every replica sees the same Entra) out of
 * service for the tenants that work, whose lookups go on. READINESS_REQUIRES_ALL_TENANTS=true
 * fails readiness while any tenant cannot, for operators who would rather page on it there.
 */
@Injectable()
export class AvailabilityHealthIndicator {
  private readonly logger = new Logger('Readiness');
  private lastReady?: boolean;

  constructor(
    private readonly provider: AvailabilityProvider,
    private readonly indicators: HealthIndicatorService,
    private readonly store: RelayConfigStore,
  ) {}

  async check(key = 'availability'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const report = this.withTenantPolicy(await this.readiness());
    this.logTransition(report.ready, report.detail);
    const data = {
      provider: this.provider.name,
      ...(report.detail !== undefined ? { detail: report.detail } : {}),
      // With several tenants, each one's verdict.
      ...(report.tenants !== undefined
        ? {
            tenants: report.tenants.map((t) => ({
              tenant: t.tenant,
              ready: t.ready,
              ...(t.detail !== undefined ? { detail: t.detail } : {}),
            })),
          }
        : {}),
    };
    return report.ready ? indicator.up(data) : indicator.down(data);
  }

  /** The provider's report, not ready while a tenant fails if every tenant is required. */
  private withTenantPolicy(report: ReadinessReport): ReadinessReport {
    const failing = (report.tenants ?? []).filter((t) => !t.ready).map((t) => t.tenant);
    if (!report.ready || failing.length === 0) return report;
    if (!this.store.current().readinessRequiresAllTenants) return report;
    return {
      ...report,
      ready: false,
      detail: `${report.detail ?? `no Graph token for tenant(s) ${failing.join(', ')}`}; READINESS_REQUIRES_ALL_TENANTS=true requires every tenant`,
    };
  }

  private async readiness(): Promise<ReadinessReport> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ReadinessReport>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ready: false,
            detail: `no readiness answer within ${READINESS_CHECK_TIMEOUT_MS} ms`,
          }),
        READINESS_CHECK_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.provider.checkReadiness(), timeout]);
    } catch (error) {
      // The provider promises details without secrets, an exception promises nothing: log it,
      // answer generically.
      this.logger.error({
        msg: 'readiness check failed',
        provider: this.provider.name,
        error: error instanceof Error ? error.message : String(error),
      });
      return { ready: false, detail: 'readiness check failed (see the relay log)' };
    } finally {
      clearTimeout(timer);
    }
  }

  private logTransition(ready: boolean, detail: string | undefined): void {
    if (ready === this.lastReady) return;
    const first = this.lastReady === undefined;
    this.lastReady = ready;
    if (ready && first) return;
    const entry = { msg: ready ? 'ready' : 'not ready', provider: this.provider.name, detail };
    if (ready) this.logger.log(entry);
    else this.logger.warn(entry);
  }
}
