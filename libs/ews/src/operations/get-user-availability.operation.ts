import { Injectable, Logger, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  AvailabilityError,
  AvailabilityProvider,
  type AvailabilityResult,
  type MailboxAvailability,
  type MailboxFailureReason,
} from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { RelayMetrics } from '@app/metrics';
import { RelayTracing } from '@app/tracing';
import type { AvailabilityRequest } from '../free-busy/availability-request';
import { parseAvailabilityRequest } from '../free-busy/parse-availability-request';
import { lookupMailboxes } from '../free-busy/lookup-mailboxes';
import {
  mailboxPolicy,
  withoutEventDetails,
  type MailboxPolicy,
} from '../free-busy/mailbox-policy';
import { renderAvailabilityResponse } from '../free-busy/render-availability-response';
import { viewAsksForDetails } from '../free-busy/requested-view';
import { faultForUpstreamError } from '../free-busy/upstream-fault';
import { EwsFault } from '../ews-fault';
import { impersonatedAccount } from '../soap/impersonated-account';
import { supportsWorkingElsewhere } from '../soap/server-version';
import type { SoapRequest } from '../soap/soap-request';

/** What the bearer guard leaves on the request (read defensively: the guard owns the shape). */
interface AuthenticatedRequest {
  relayCaller?: { clientId?: string; tokenId?: string };
}

/**
 * The ResponseCode each per-mailbox failure is answered with (the renderer's table, which
 * docs/protocol.md section 5 fixes): the audit line and the metrics count what the client saw.
 */
const MAILBOX_RESPONSE_CODES: Record<MailboxFailureReason, string> = {
  recipientNotFound: 'ErrorMailRecipientNotFound',
  accessDenied: 'ErrorNoFreeBusyAccess',
  generationFailed: 'ErrorFreeBusyGenerationFailed',
  timeout: 'ErrorProxyRequestProcessingFailed',
};

/** Mailboxes per EWS ResponseCode (`NoError` for answered ones). */
export function responseCodeCounts(
  mailboxes: readonly MailboxAvailability[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mailbox of mailboxes) {
    const code = mailbox.outcome === 'ok' ? 'NoError' : MAILBOX_RESPONSE_CODES[mailbox.reason];
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/** The distinct, lower-cased domains of the asked addresses (what routes a lookup in Google). */
export function domainsOf(addresses: readonly string[]): string[] {
  const domains = new Set<string>();
  for (const address of addresses) {
    const at = address.lastIndexOf('@');
    domains.add(at < 0 ? '(not an address)' : address.slice(at + 1, at + 254).toLowerCase());
  }
  return [...domains];
}

export interface AvailabilityAuditFacts {
  readonly requestId: unknown;
  readonly caller: AuthenticatedRequest['relayCaller'];
  readonly roleAccount?: string;
  readonly clientIp: string;
  readonly provider: string;
  readonly parsed?: AvailabilityRequest;
  readonly result?: AvailabilityResult;
  /** The ResponseCode of the SOAP fault answered instead, if any. */
  readonly faultCode?: string;
  readonly latencyMs: number;
}

/**
 * The one audit line per lookup: who asked (token subject and id, the role account Google
 * impersonates, the client address), what (mailbox count and domains, window, view), what came
 * of it (per-mailbox ResponseCodes or the fault), and what it cost (Graph calls, cache hits,
 * latency). Never an address list, a token, a secret or an event subject.
 */
export function availabilityAuditRecord(facts: AvailabilityAuditFacts): Record<string, unknown> {
  const { parsed, result } = facts;
  return {
    msg: 'availability lookup',
    requestId: facts.requestId,
    result: facts.faultCode === undefined ? 'answered' : 'fault',
    ...(facts.faultCode !== undefined ? { faultCode: facts.faultCode } : {}),
    caller: facts.caller?.clientId,
    tokenId: facts.caller?.tokenId,
    roleAccount: facts.roleAccount,
    clientIp: facts.clientIp,
    ...(parsed !== undefined
      ? {
          mailboxes: parsed.mailboxes.length,
          domains: domainsOf(parsed.mailboxes),
          windowStart: new Date(parsed.window.startMs).toISOString(),
          windowEnd: new Date(parsed.window.endMs).toISOString(),
          intervalMinutes: parsed.intervalMinutes,
          view: parsed.requestedView,
          zone: parsed.zone.description,
        }
      : {}),
    ...(result !== undefined ? { outcomes: responseCodeCounts(result.mailboxes) } : {}),
    provider: facts.provider,
    graphCalls: result?.stats?.upstreamCalls ?? 0,
    cacheHits: result?.stats?.cacheHits ?? 0,
    latencyMs: facts.latencyMs,
  };
}

/**
 * GetUserAvailability: parse and validate, ask the availability port, render. Writes the one
 * audit line per lookup, faults included (never a subject, token or secret).
 */
@Injectable()
export class GetUserAvailabilityOperation {
  private readonly logger = new Logger('Availability');

  constructor(
    private readonly provider: AvailabilityProvider,
    private readonly config: RelayConfigStore,
    @Optional() private readonly metrics?: RelayMetrics,
    @Optional() private readonly tracing?: RelayTracing,
  ) {}

  async answer(soap: SoapRequest, request: FastifyRequest): Promise<string> {
    const started = process.hrtime.bigint();
    this.metrics?.noteEwsOperation(request, 'GetUserAvailability');
    this.tracing?.nameOperation(request, 'GetUserAvailability');
    let parsed: AvailabilityRequest | undefined;
    let result: AvailabilityResult | undefined;
    let faultCode: string | undefined;
    try {
      parsed = parseAvailabilityRequest(soap.operation, soap.header);
      this.tracing?.annotate(request, {
        'ews.mailbox_count': parsed.mailboxes.length,
        'ews.view': parsed.requestedView,
      });
      const policy = mailboxPolicy(this.config.current(), impersonatedAccount(soap.header));
      const detailsAllowed =
        viewAsksForDetails(parsed.requestedView) &&
        parsed.mailboxes.some((address) => policy.detailsAllowedFor(address));
      result = parsed.freeBusyRequested
        ? await this.lookup(parsed, detailsAllowed, request, policy)
        : { mailboxes: [] };
      if (detailsAllowed) {
        // Details were fetched for the domains that allow them; the others' are dropped here.
        result = {
          ...result,
          mailboxes: result.mailboxes.map((m) =>
            policy.detailsAllowedFor(m.address) ? m : withoutEventDetails(m),
          ),
        };
      }
      const body = renderAvailabilityResponse(parsed, result.mailboxes, {
        detailsAllowed,
        workingElsewhere: supportsWorkingElsewhere(soap.requestedVersion),
      });
      this.metrics?.mailboxesAnswered(responseCodeCounts(result.mailboxes));
      return body;
    } catch (error) {
      result = undefined;
      faultCode = error instanceof EwsFault ? error.responseCode : 'ErrorInternalServerError';
      throw error;
    } finally {
      this.logger.log(
        availabilityAuditRecord({
          requestId: request.id,
          caller: (request as FastifyRequest & AuthenticatedRequest).relayCaller,
          roleAccount: impersonatedAccount(soap.header),
          clientIp: request.ip,
          provider: this.provider.name,
          parsed,
          result,
          faultCode,
          latencyMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        }),
      );
    }
  }

  private async lookup(
    parsed: AvailabilityRequest,
    detailsAllowed: boolean,
    request: FastifyRequest,
    policy: MailboxPolicy,
  ): Promise<AvailabilityResult> {
    try {
      return await lookupMailboxes(
        this.provider,
        parsed,
        detailsAllowed,
        String(request.id),
        policy.outOfScope,
      );
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
}
