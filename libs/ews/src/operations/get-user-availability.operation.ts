import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AvailabilityError, AvailabilityProvider } from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { parseAvailabilityRequest } from '../availability/parse-availability-request';
import { lookupMailboxes } from '../availability/lookup-mailboxes';
import { renderAvailabilityResponse } from '../availability/render-availability-response';
import { viewAsksForDetails } from '../availability/requested-view';
import { faultForUpstreamError } from '../availability/upstream-fault';
import { impersonatedAccount } from '../soap/impersonated-account';
import { supportsWorkingElsewhere } from '../soap/server-version';
import type { SoapRequest } from '../soap/soap-request';

/** What the bearer guard leaves on the request (read defensively: the guard owns the shape). */
interface AuthenticatedRequest {
  relayCaller?: { clientId?: string };
}

/**
 * GetUserAvailability: parse and validate, ask the availability port, render. Writes the one
 * audit line per lookup (never a subject, token or secret).
 */
@Injectable()
export class GetUserAvailabilityOperation {
  private readonly logger = new Logger('Availability');

  constructor(
    private readonly provider: AvailabilityProvider,
    private readonly config: RelayConfigStore,
  ) {}

  async answer(soap: SoapRequest, request: FastifyRequest): Promise<string> {
    const started = process.hrtime.bigint();
    const parsed = parseAvailabilityRequest(soap.operation, soap.header);
    const detailsAllowed =
      this.config.current().eventDetails && viewAsksForDetails(parsed.requestedView);

    let result;
    if (!parsed.freeBusyRequested) {
      result = { mailboxes: [] };
    } else {
      try {
        result = await lookupMailboxes(this.provider, parsed, detailsAllowed, String(request.id));
      } catch (error) {
        if (error instanceof AvailabilityError) {
          this.logger.error({
            msg: 'availability lookup failed',
            requestId: request.id,
            provider: this.provider.name,
            error: error.message,
          });
          throw faultForUpstreamError(error);
        }
        throw error;
      }
    }

    const body = renderAvailabilityResponse(parsed, result.mailboxes, {
      detailsAllowed,
      workingElsewhere: supportsWorkingElsewhere(soap.requestedVersion),
    });

    const outcomes: Record<string, number> = {};
    for (const mailbox of result.mailboxes) {
      const key = mailbox.outcome === 'ok' ? 'ok' : mailbox.reason;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    this.logger.log({
      msg: 'availability lookup',
      requestId: request.id,
      caller: (request as FastifyRequest & AuthenticatedRequest).relayCaller?.clientId,
      roleAccount: impersonatedAccount(soap.header),
      clientIp: request.ip,
      mailboxes: parsed.mailboxes.length,
      domains: [...new Set(parsed.mailboxes.map((m) => m.split('@')[1]?.toLowerCase() ?? ''))],
      windowStart: new Date(parsed.window.startMs).toISOString(),
      windowEnd: new Date(parsed.window.endMs).toISOString(),
      view: parsed.requestedView,
      zone: parsed.zone.description,
      outcomes,
      provider: this.provider.name,
      upstreamCalls: result.stats?.upstreamCalls,
      cacheHits: result.stats?.cacheHits,
      latencyMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
    });
    return body;
  }
}
