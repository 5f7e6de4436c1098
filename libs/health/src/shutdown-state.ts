import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';

/**
 * How long the relay keeps serving after SIGTERM while reporting not-ready, so load balancers
 * and Kubernetes endpoints stop sending it new requests before the listener closes (the Helm
 * chart sets SHUTDOWN_DRAIN_MS). A number of milliseconds.
 */
export const SHUTDOWN_DRAIN_MS = Symbol('SHUTDOWN_DRAIN_MS');

/**
 * The relay's shutdown sequence. Nest's close (SIGTERM with enableShutdownHooks, or app.close())
 * runs: onModuleDestroy -> beforeApplicationShutdown -> Fastify close (stops accepting; in-flight
 * requests finish) -> onApplicationShutdown.
 *
 * - Readiness turns 503 at the very first step; beforeApplicationShutdown then waits out the
 *   drain while everything still works.
 * - From then on every response carries `Connection: close` (the app's onSend hook asks
 *   `draining`, configure-app.ts). Otherwise a client's keep-alive connection outlives its last
 *   response and Fastify's close waits for the idle timeout (72 s), well past Kubernetes' grace
 *   period; and callers reconnect to a replica that is staying, instead of reusing this one.
 *
 * Providers that release resources should do it in onApplicationShutdown, after the last
 * request: onModuleDestroy runs before the drain.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private drainingSince?: Date;

  constructor(@Inject(SHUTDOWN_DRAIN_MS) private readonly drainMs: number) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Readiness is 503 from now on. Idempotent. */
  beginDrain(): void {
    if (this.drainingSince !== undefined) return;
    this.drainingSince = new Date();
    this.logger.log({
      msg: 'shutting down: readiness reports 503; serving on during the drain',
      drainMs: this.drainMs,
    });
  }

  onModuleDestroy(): void {
    this.beginDrain();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.beginDrain();
    if (this.drainMs <= 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, this.drainMs));
  }
}
