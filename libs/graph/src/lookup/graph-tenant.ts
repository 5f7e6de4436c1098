import { Logger } from '@nestjs/common';
import {
  mailboxKey,
  UpstreamMisconfiguredError,
  UpstreamThrottledError,
  UpstreamUnavailableError,
  type AvailabilityQuery,
  type AvailabilityResult,
  type MailboxAvailability,
  type ReadinessReport,
  type UpstreamObserver,
} from '@app/availability';
import type { GraphSettings } from '@app/config';
import type { RelayTracing } from '@app/tracing';
import { abortable } from '../abortable';
import type { GraphLimits } from '../graph-limits';
import { AdaptiveCallLimit } from '../resilience/adaptive-call-limit';
import { AnchorBook } from '../resilience/anchor-choice';
import { CircuitBreaker } from '../resilience/circuit-breaker';
import { FairCallQueue } from '../resilience/fair-call-queue';
import { GraphScheduleClient } from '../transport/graph-schedule.client';
import type { KeepAliveHttpsTransport } from '../transport/keep-alive-https-transport';
import type { PlacesCallOutcome } from '../wire/places-wire';
import { failedMailbox } from '../wire/schedule-error-mapping';
import { MailboxResults } from './mailbox-results';
import {
  ScheduleChunkRunner,
  type ChunkContext,
  type ChunkResult,
  type GraphCallPath,
} from './schedule-chunk-runner';
import { planScheduleChunks } from './schedule-plan';

export interface GraphTenantDependencies {
  readonly limits: GraphLimits;
  readonly transport: KeepAliveHttpsTransport;
  readonly tracing?: RelayTracing;
  readonly observer?: UpstreamObserver;
  /** LOG_LEVEL is debug or trace: the per-lookup debug line is worth building. */
  readonly logsDebug: boolean;
}

/**
 * Everything one tenant's Entra app needs, its own and no one else's: Graph's limits are per app
 * (4 concurrent requests per app ID), so each tenant has its own token cache and credential, call
 * limit and fair queue, circuit breaker, anchors and result cache. One tenant's outage,
 * throttling or bad secret therefore never slows or fails another's lookups.
 *
 * One lookup: the mailboxes (distinct, all this tenant's) are served from the cache, from an
 * identical lookup in flight, or by getSchedule calls of up to 20 schedules, all within
 * GRAPH_DEADLINE_MS; when the deadline passes the finished chunks are returned and the rest time
 * out per mailbox. Request-level failures are thrown as the port's errors: Graph refusing the app
 * (401/403) as UpstreamMisconfiguredError, an open circuit as UpstreamUnavailableError,
 * throttling past the deadline as UpstreamThrottledError.
 */
export class GraphTenant {
  private readonly logger = new Logger('GraphAvailabilityProvider');
  private settings: GraphSettings;
  private readonly client: GraphScheduleClient;
  private readonly results: MailboxResults;
  private readonly breaker: CircuitBreaker;
  private readonly path: { -readonly [K in keyof GraphCallPath]: GraphCallPath[K] };
  private readonly runner: ScheduleChunkRunner;
  private readiness?: { readonly atMs: number; readonly report: Promise<ReadinessReport> };
  /** Since when Entra has failed transiently (readiness rides that out for a while). */
  private transientTokenFailureSinceMs?: number;
  private hadToken = false;

  constructor(
    readonly name: string,
    settings: GraphSettings,
    private readonly deps: GraphTenantDependencies,
  ) {
    this.settings = settings;
    this.client = new GraphScheduleClient(() => this.settings, {
      transport: deps.transport,
      tracing: deps.tracing,
      tenant: name,
    });
    // Cache settings are not secrets and do not change at run time.
    this.results = new MailboxResults({
      maxEntries: settings.cacheMaxEntries,
      ttlMs: settings.cacheTtlSeconds * 1000,
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: deps.limits.breakerFailureThreshold,
      openMs: deps.limits.breakerOpenMs,
    });
    const limit = this.callLimitFor(settings);
    this.path = {
      breaker: this.breaker,
      limit,
      queue: new FairCallQueue(limit),
      anchors: this.anchorsFor(settings),
    };
    this.runner = new ScheduleChunkRunner(this.client, this.path, deps.limits);
  }

  /**
   * New settings for this tenant (a Vault refresh). New credentials are picked up by the client
   * at its next call; a changed call limit or anchor starts afresh.
   */
  update(settings: GraphSettings): void {
    const previous = this.settings;
    this.settings = settings;
    // The last readiness answer was about the old credentials.
    this.readiness = undefined;
    if (settings.concurrency !== previous.concurrency) {
      this.path.limit = this.callLimitFor(settings);
      this.path.queue.useLimit(this.path.limit);
    }
    if (settings.anchorMailbox !== previous.anchorMailbox) {
      this.path.anchors = this.anchorsFor(settings);
    }
  }

  async lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    const settings = this.settings;
    const startedMs = Date.now();
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error(`deadline of ${settings.deadlineMs} ms passed`)),
      settings.deadlineMs,
    );
    let upstreamCalls = 0;
    let cacheHits = 0;
    const context: ChunkContext = {
      window: query.window,
      intervalMinutes: query.intervalMinutes,
      includeDetails: query.wantDetails,
      deadlineMs: settings.deadlineMs,
      deadlineAtMs: startedMs + settings.deadlineMs,
      deadline: deadline.signal,
      flow: {},
      requestId: query.requestId,
      countCall: () => (upstreamCalls += 1),
      observer: this.deps.observer,
      tenant: this.name,
    };
    try {
      const pending = new Map<string, Promise<MailboxAvailability>>();
      const misses: string[] = [];
      for (const address of query.mailboxes) {
        const known = this.results.find(this.results.keyOf(address, query));
        if (known === undefined) {
          misses.push(address);
          continue;
        }
        cacheHits += 1;
        pending.set(
          mailboxKey(address),
          known.kind === 'cached'
            ? Promise.resolve(known.result)
            : this.untilDeadline(known.result, address, context),
        );
      }
      this.deps.observer?.cacheLookedUp(this.name, cacheHits, misses.length);
      if (misses.length > 0 && !this.breaker.canRequest()) {
        throw new UpstreamUnavailableError(
          'Microsoft Graph has been failing; calls are paused for a few seconds',
        );
      }
      const chunkRuns = planScheduleChunks(misses, this.deps.limits.schedulesPerCall).map(
        (chunk) => {
          const run = this.runner.run(chunk.schedules, context);
          for (const address of chunk.schedules) {
            const result = resultOf(run, address);
            pending.set(mailboxKey(address), result);
            this.results.track(this.results.keyOf(address, query), result);
          }
          return run;
        },
      );

      const settled = new Map<string, MailboxAvailability>();
      await Promise.all([...pending].map(async ([key, result]) => settled.set(key, await result)));
      throwIfOnlyThrottled(await Promise.all(chunkRuns), settled);
      const mailboxes = query.mailboxes.map((address) => {
        const result =
          settled.get(mailboxKey(address)) ??
          failedMailbox(address, 'generationFailed', 'internal error in the relay');
        return result.address === address ? result : { ...result, address };
      });
      // Built only when it will be written: the arguments cost a pass over every mailbox.
      if (this.deps.logsDebug) {
        this.logDebug(query, misses.length, cacheHits, upstreamCalls, mailboxes, startedMs);
      }
      return { mailboxes, stats: { upstreamCalls, cacheHits } };
    } finally {
      clearTimeout(timer);
      // Ends whatever this lookup still has running (chunks after a request-level failure).
      deadline.abort(new Error('lookup finished'));
    }
  }

  /** GRAPH_ENDPOINT of this tenant's app. */
  get endpoint(): string {
    return this.settings.endpoint;
  }

  /** GRAPH_DEADLINE_MS: how long one lookup (or one room directory read) may take. */
  get deadlineMs(): number {
    return this.settings.deadlineMs;
  }

  /**
   * One places GET (the room directory, rooms/) on this app's call path: Graph's 4 concurrent
   * requests per app ID count places calls too, so they take the same slots of the fair queue
   * as getSchedule calls (as a flow of their own) and an ApplicationThrottled answer lowers the
   * same call limit. The circuit breaker stays getSchedule's: a failing places service must not
   * pause free/busy.
   */
  getPlaces(
    request: string,
    deadline: AbortSignal,
    attemptMs: number,
    flow: object,
  ): Promise<PlacesCallOutcome> {
    // The wait for a slot is bounded by the read's deadline, the call itself by the attempt's.
    return this.path.queue.run(flow, deadline, async () => {
      const signal = AbortSignal.any([deadline, AbortSignal.timeout(attemptMs)]);
      const outcome = await this.client.getPlaces(request, signal);
      if (
        outcome.kind === 'httpError' &&
        outcome.status === 429 &&
        outcome.code?.toLowerCase() === 'applicationthrottled'
      ) {
        this.path.limit.throttled(this.path.queue.inFlight, Date.now());
      }
      return outcome;
    });
  }

  /** Whether a Graph token can be had; reused for a few seconds so probes don't hammer Entra. */
  checkReadiness(): Promise<ReadinessReport> {
    const now = Date.now();
    if (
      this.readiness === undefined ||
      now - this.readiness.atMs >= this.deps.limits.readinessCacheMs
    ) {
      this.readiness = { atMs: now, report: this.probeToken() };
    }
    return this.readiness.report;
  }

  close(): void {
    this.client.close();
  }

  private async probeToken(): Promise<ReadinessReport> {
    const check = await this.client.checkToken(
      AbortSignal.timeout(this.deps.limits.readinessTimeoutMs),
    );
    const nowMs = Date.now();
    if (check.ok) {
      this.hadToken = true;
      this.transientTokenFailureSinceMs = undefined;
      return { ready: true };
    }
    if (!check.transient) {
      this.transientTokenFailureSinceMs = undefined;
      return { ready: false, detail: check.detail };
    }
    // Entra busy or failing for a moment (AADSTS90055, temporarily_unavailable, 5xx): lookups
    // retry within their deadline, and every replica sees the same Entra, so a hiccup must not
    // take the relay out of service. Only a relay that never had a token, or one that has had
    // none for longer than the grace, stops being ready.
    this.transientTokenFailureSinceMs ??= nowMs;
    const failingMs = nowMs - this.transientTokenFailureSinceMs;
    if (this.hadToken && failingMs < this.deps.limits.transientReadinessGraceMs) {
      return { ready: true, detail: `${check.detail} (ready while it passes)` };
    }
    return { ready: false, detail: check.detail };
  }

  private callLimitFor(settings: GraphSettings): AdaptiveCallLimit {
    return new AdaptiveCallLimit({
      ceiling: settings.concurrency,
      recoverAfterMs: this.deps.limits.concurrencyRecoverAfterMs,
    });
  }

  private anchorsFor(settings: GraphSettings): AnchorBook {
    return new AnchorBook({
      configured: settings.anchorMailbox,
      refusedTtlMs: this.deps.limits.refusedAnchorTtlMs,
      refusedMaxEntries: this.deps.limits.refusedAnchorMaxEntries,
    });
  }

  /** A joined result, bounded by this lookup's own deadline. */
  private async untilDeadline(
    result: Promise<MailboxAvailability>,
    address: string,
    context: ChunkContext,
  ): Promise<MailboxAvailability> {
    try {
      return await abortable(result, context.deadline);
    } catch (error) {
      if (!context.deadline.aborted) throw error;
      return failedMailbox(
        address,
        'timeout',
        `Microsoft Graph did not answer within the deadline of ${context.deadlineMs} ms`,
      );
    }
  }

  private logDebug(
    query: AvailabilityQuery,
    fromGraph: number,
    cacheHits: number,
    upstreamCalls: number,
    mailboxes: readonly MailboxAvailability[],
    startedMs: number,
  ): void {
    this.logger.debug(
      `lookup${query.requestId !== undefined ? ` [request ${query.requestId}]` : ''} tenant ${this.name}: ${query.mailboxes.length} mailboxes (${fromGraph} from Graph, ${cacheHits} cached or joined), ${upstreamCalls} getSchedule calls, ${mailboxes.filter((m) => m.outcome === 'ok').length} answered, ${Date.now() - startedMs} ms`,
    );
  }
}

/** One mailbox's result out of its chunk; rejects when Graph refused the app itself. */
async function resultOf(run: Promise<ChunkResult>, address: string): Promise<MailboxAvailability> {
  const chunk = await run;
  if (chunk.misconfigured !== undefined) throw new UpstreamMisconfiguredError(chunk.misconfigured);
  return (
    chunk.byKey.get(mailboxKey(address)) ??
    failedMailbox(address, 'generationFailed', 'internal error in the relay')
  );
}

/**
 * Graph kept throttling and nothing could be answered: the caller should back off for as long
 * as Graph asked (ErrorServerBusy with BackOffMilliseconds), rather than see every mailbox time
 * out.
 */
function throwIfOnlyThrottled(
  runs: readonly ChunkResult[],
  settled: ReadonlyMap<string, MailboxAvailability>,
): void {
  const throttledForMs = runs
    .map((r) => r.throttledForMs)
    .filter((ms): ms is number => ms !== undefined);
  if (
    throttledForMs.length > 0 &&
    [...settled.values()].every((r) => r.outcome === 'failed' && r.reason === 'timeout')
  ) {
    throw new UpstreamThrottledError(
      'Microsoft Graph is throttling the relay',
      Math.max(...throttledForMs),
    );
  }
}
