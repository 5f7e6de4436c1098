import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ShutdownState } from './shutdown-state';

/** Down from the moment the relay starts shutting down: take it out of the load balancer. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly state: ShutdownState,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'shutdown'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return this.state.draining ? indicator.down({ draining: true }) : indicator.up();
  }
}
