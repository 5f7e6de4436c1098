import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AvailabilityProvider, type ReadinessReport } from '@app/availability';

/** A readiness probe must answer within the kubelet's default probe timeout (1 s) and then some. */
export const READINESS_CHECK_TIMEOUT_MS = 3000;

/**
 * Readiness of the availability provider (Graph: can it get a token; demo: always). Logs only
 * changes, not every probe: a probe every few seconds would bury the lookups in the log.
 */
@Injectable()
export class AvailabilityHealthIndicator {
  private readonly logger = new Logger('Readiness');
  private lastReady?: boolean;

  constructor(
    private readonly provider: AvailabilityProvider,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'availability'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const report = await this.readiness();
    this.logTransition(report.ready, report.detail);
    const data = {
      provider: this.provider.name,
      ...(report.detail !== undefined ? { detail: report.detail } : {}),
      // With several tenants, each one's verdict: the relay is ready while any can serve.
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
