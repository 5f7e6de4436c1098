import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  AvailabilityError,
  AvailabilityProvider,
  domainOf,
  lookUpAvailability,
  type AvailabilityLookupResult,
  type MailboxAvailability,
  type MailboxPolicy,
} from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { NO_TENANT_LABEL, RelayMetrics, type MailboxOutcomeCount } from '@app/metrics';
import type { RelayCaller, RequestContext } from '@app/request-context';
import { RelayTracing } from '@app/tracing';
import type { AvailabilityRequest } from '../free-busy/availability-request';
import { parseAvailabilityRequest } from '../free-busy/parse-availability-request';
import { MAILBOX_FAILURES } from '../free-busy/mailbox-failures';
import { renderAvailabilityResponse } from '../free-busy/render-availability-response';
import { viewAsksForDetails } from '../free-busy/requested-view';
import { faultForUpstreamError } from '../free-busy/upstream-fault';
import { policyForRequest } from '../caller-policy';
import { EwsFault } from '../ews-fault';
import { impersonatedAccount } from '../soap/impersonated-account';
import { supportsWorkingElsewhere } from '../soap/server-version';
import type { SoapRequest } from '../soap/soap-request';

/** Mailboxes per EWS ResponseCode (`NoError` for answered ones), as the client saw them. */
export function responseCodeCounts(
  mailboxes: readonly MailboxAvailability[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mailbox of mailboxes) {
    const code =
      mailbox.outcome === 'ok' ? 'NoError' : MAILBOX_FAILURES[mailbox.reason].responseCode;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/**
 * Mailboxes per tenant asked and ResponseCode, for the metrics: the tenant is the policy's (the
 * same verdict lookUpAvailability acted on; pure, so asking again gives it), NO_TENANT_LABEL for
 * mailboxes the policy answered itself (no address, no tenant's domain, out of the caller's
 * reach).
 */
export function mailboxOutcomeCounts(
  mailboxes: readonly MailboxAvailability[],
  policy: MailboxPolicy,
): MailboxOutcomeCount[] {
  const counts = new Map<string, { tenant: string; code: string; count: number }>();
  for (const mailbox of mailboxes) {
    const verdict = policy.verdictFor(mailbox.address);
    const tenant = verdict.kind === 'lookup' ? verdict.tenant : NO_TENANT_LABEL;
    const code =
      mailbox.outcome === 'ok' ? 'NoError' : MAILBOX_FAILURES[mailbox.reason].responseCode;
    const key = `${tenant}\u0000${code}`;
    const entry = counts.get(key) ?? { tenant, code, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** The distinct, lower-cased domains of the asked addresses (what routes a lookup in Google). */
export function domainsOf(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map((a) => domainOf(a)?.slice(0, 253) ?? '(not an address)'))];
}

export interface AvailabilityAuditFacts {
  readonly requestId: string;
  readonly caller?: Pick<RelayCaller, 'clientId' | 'tokenId' | 'tenant'>;
  readonly roleAccount?: string;
  readonly clientIp: string;
  readonly provider: string;
  readonly parsed?: AvailabilityRequest;
  readonly result?: AvailabilityLookupResult;
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
    // A tenant's own Google client: the caller sees that tenant's mailboxes only.
    ...(facts.caller?.tenant !== undefined ? { callerTenant: facts.caller.tenant } : {}),
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
    ...(result !== undefined
      ? {
          tenants: result.tenants,
          outcomes: responseCodeCounts(result.mailboxes),
          ...(result.failedTenants.length > 0
            ? { failedTenants: result.failedTenants.map((f) => f.tenant) }
            : {}),
        }
      : {}),
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

  async answer(soap: SoapRequest, context: RequestContext): Promise<string> {
    const started = process.hrtime.bigint();
    let parsed: AvailabilityRequest | undefined;
    let result: AvailabilityLookupResult | undefined;
    let faultCode: string | undefined;
    try {
      parsed = parseAvailabilityRequest(soap.operation, soap.header);
      this.tracing?.annotate(context, {
        'ews.mailbox_count': parsed.mailboxes.length,
        'ews.view': parsed.requestedView,
      });
      const policy = policyForRequest(
        this.provider.routes(),
        this.config.current(),
        soap.header,
        context.caller,
      );
      result = parsed.freeBusyRequested
        ? await this.lookup(
            parsed,
            viewAsksForDetails(parsed.requestedView),
            context.requestId,
            policy,
          )
        : { mailboxes: [], tenants: [], failedTenants: [], detailsAllowed: false };
      const body = renderAvailabilityResponse(parsed, result.mailboxes, {
        detailsAllowed: viewAsksForDetails(parsed.requestedView) && result.detailsAllowed,
        workingElsewhere: supportsWorkingElsewhere(soap.requestedVersion),
      });
      this.metrics?.mailboxesAnswered(mailboxOutcomeCounts(result.mailboxes, policy));
      return body;
    } catch (error) {
      result = undefined;
      faultCode = error instanceof EwsFault ? error.responseCode : 'ErrorInternalServerError';
      throw error;
    } finally {
      this.logger.log(
        availabilityAuditRecord({
          requestId: context.requestId,
          caller: context.caller,
          roleAccount: impersonatedAccount(soap.header),
          clientIp: context.clientIp,
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
    wantDetails: boolean,
    requestId: string,
    policy: MailboxPolicy,
  ): Promise<AvailabilityLookupResult> {
    try {
      const result = await lookUpAvailability(
        this.provider,
        {
          mailboxes: parsed.mailboxes,
          window: parsed.window,
          intervalMinutes: parsed.intervalMinutes,
          wantDetails,
          requestId,
        },
        policy,
      );
      for (const { tenant, error } of result.failedTenants) {
        this.logger.error({
          msg: 'availability lookup failed for a tenant; its mailboxes were answered with errors',
          requestId,
          provider: this.provider.name,
          tenant,
          error: error.message,
        });
      }
      return result;
    } catch (error) {
      if (error instanceof AvailabilityError) {
        this.logger.error({
          msg: 'availability lookup failed',
          requestId,
          provider: this.provider.name,
          error: error.message,
        });
        throw faultForUpstreamError(error);
      }
      throw error;
    }
  }
}
