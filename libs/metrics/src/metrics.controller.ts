import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RelayMetrics } from './relay-metrics';

/**
 * `GET /metrics`, Prometheus text format. Not behind the bearer guard (Prometheus has no relay
 * token) and not an EWS route (IP_ALLOWLIST does not apply): keep it off the public ingress; the
 * Helm chart's ServiceMonitor scrapes it on the pod port.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RelayMetrics) {}

  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.scrape();
    void reply.status(200).header('content-type', this.metrics.contentType).send(body);
  }
}
