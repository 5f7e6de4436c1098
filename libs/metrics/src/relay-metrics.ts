import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ConfigSourceRefresh } from '@app/config';
import type { UpstreamCallResult, UpstreamObserver } from '@app/availability';
import {
  ewsRequestOutcomeOf,
  type EwsOperationLabel,
  type EwsRequestOutcome,
} from './ews-request-outcome';

/** Seconds; EWS answers should stay well under 2 s (Google's timeout is unknown). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15];

/**
 * Labels are fixed vocabularies (never an address, client id or free text), and tenant names,
 * which the configuration bounds (TENANTS; `default` for the single-tenant keys).
 */
type EwsLabels = 'operation' | 'outcome';

/** The `tenant` of mailboxes the mailbox policy answered itself: no tenant name can be it. */
export const NO_TENANT_LABEL = '(none)';

/** Mailboxes answered with one ResponseCode for one tenant (or NO_TENANT_LABEL). */
export interface MailboxOutcomeCount {
  readonly tenant: string;
  readonly code: string;
  readonly count: number;
}

/**
 * The relay's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * that several apps in one process (the e2e tests) each count only their own traffic. Every
 * counter is created up front, so a scrape shows it at 0 before the first event.
 */
@Injectable()
export class RelayMetrics implements UpstreamObserver {
  readonly registry = new Registry();

  private readonly ewsRequests = new Counter<EwsLabels>({
    name: 'calendar_relay_ews_requests_total',
    help: 'EWS requests by operation and outcome (ok, unauthorized, forbidden, fault, rejected, error)',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly ewsDuration = new Histogram<EwsLabels>({
    name: 'calendar_relay_ews_request_duration_seconds',
    help: 'Time from the EWS request to the end of its answer',
    labelNames: ['operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly ewsUnsupported = new Counter<'operation'>({
    name: 'calendar_relay_ews_unsupported_operations_total',
    help: 'EWS requests for operations the relay does not answer, by operation (an EWS operation name, else unknown)',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  private readonly mailboxOutcomes = new Counter<'tenant' | 'code'>({
    name: 'calendar_relay_mailbox_outcomes_total',
    help: `Mailboxes answered in GetUserAvailability, by tenant asked (${NO_TENANT_LABEL}: answered by the relay's policy) and EWS ResponseCode (NoError, ErrorMailRecipientNotFound, ...)`,
    labelNames: ['tenant', 'code'],
    registers: [this.registry],
  });
  private readonly graphCalls = new Counter<'tenant' | 'result'>({
    name: 'calendar_relay_graph_calls_total',
    help: 'Microsoft Graph getSchedule attempts (token fetch included), by tenant and result',
    labelNames: ['tenant', 'result'],
    registers: [this.registry],
  });
  private readonly graphDuration = new Histogram<'tenant' | 'result'>({
    name: 'calendar_relay_graph_call_duration_seconds',
    help: 'Duration of one getSchedule attempt (token fetch included), by tenant and result',
    labelNames: ['tenant', 'result'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly graphRetries = new Counter<'tenant' | 'reason'>({
    name: 'calendar_relay_graph_retries_total',
    help: 'getSchedule attempts repeated after a failure, by tenant and reason (throttled, transient)',
    labelNames: ['tenant', 'reason'],
    registers: [this.registry],
  });
  private readonly graphThrottled = new Counter<'tenant'>({
    name: 'calendar_relay_graph_throttled_total',
    help: 'getSchedule answers that asked the relay to slow down (429, or 503), by tenant',
    labelNames: ['tenant'],
    registers: [this.registry],
  });
  private readonly cacheHits = new Counter<'tenant'>({
    name: 'calendar_relay_cache_hits_total',
    help: 'Mailboxes answered from the cache or from an identical lookup in flight, by tenant',
    labelNames: ['tenant'],
    registers: [this.registry],
  });
  private readonly cacheMisses = new Counter<'tenant'>({
    name: 'calendar_relay_cache_misses_total',
    help: 'Mailboxes that had to be asked of Microsoft Graph, by tenant',
    labelNames: ['tenant'],
    registers: [this.registry],
  });
  private readonly tokensIssued = new Counter({
    name: 'calendar_relay_tokens_issued_total',
    help: 'Access tokens issued at /token',
    registers: [this.registry],
  });
  private readonly tokenFailures = new Counter<'reason'>({
    name: 'calendar_relay_token_failures_total',
    help: 'Refused /token requests, by OAuth error (invalid_client, invalid_request, unsupported_grant_type, method_not_allowed)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly configRefreshes = new Counter<'source' | 'outcome'>({
    name: 'calendar_relay_config_refreshes_total',
    help: 'Re-reads of a secret source after start-up (vault, files), by outcome (success, failure)',
    labelNames: ['source', 'outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.tokensIssued.inc(0);
  }

  /**
   * The configured tenants: their unlabelled-by-result counters are shown at 0 before the first
   * event, as every counter is. A tenant removed later keeps its series until the restart.
   */
  tenantsConfigured(names: readonly string[]): void {
    for (const tenant of names) {
      this.graphThrottled.inc({ tenant }, 0);
      this.cacheHits.inc({ tenant }, 0);
      this.cacheMisses.inc({ tenant }, 0);
    }
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One EWS request answered: `operation` as its SOAP body named it, if it was read. */
  ewsRequestEnded(
    operation: EwsOperationLabel | undefined,
    statusCode: number,
    durationMs: number,
  ): void {
    const outcome: EwsRequestOutcome = ewsRequestOutcomeOf(statusCode);
    const labels = { operation: operation ?? 'other', outcome };
    this.ewsRequests.inc(labels);
    this.ewsDuration.observe(labels, durationMs / 1000);
  }

  /**
   * A client asked for an operation the relay does not answer. `operation` is an EWS operation
   * name or `unknown` (libs/ews ews-operation-names.ts keeps the set bounded).
   */
  ewsOperationUnsupported(operation: string): void {
    this.ewsUnsupported.inc({ operation });
  }

  mailboxesAnswered(counts: readonly MailboxOutcomeCount[]): void {
    for (const { tenant, code, count } of counts) {
      this.mailboxOutcomes.inc({ tenant, code }, count);
    }
  }

  tokenIssued(): void {
    this.tokensIssued.inc();
  }

  tokenRefused(reason: string): void {
    this.tokenFailures.inc({ reason });
  }

  upstreamCallEnded(tenant: string, result: UpstreamCallResult, durationMs: number): void {
    this.graphCalls.inc({ tenant, result });
    this.graphDuration.observe({ tenant, result }, durationMs / 1000);
    if (result === 'throttled') this.graphThrottled.inc({ tenant });
  }

  upstreamRetryScheduled(tenant: string, reason: 'throttled' | 'transient'): void {
    this.graphRetries.inc({ tenant, reason });
  }

  cacheLookedUp(tenant: string, hits: number, misses: number): void {
    this.cacheHits.inc({ tenant }, hits);
    this.cacheMisses.inc({ tenant }, misses);
  }

  configRefreshed(refresh: ConfigSourceRefresh): void {
    this.configRefreshes.inc({
      source: refresh.source,
      outcome: refresh.ok ? 'success' : 'failure',
    });
  }
}
