import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  AvailabilityProvider,
  mailboxKey,
  UpstreamMisconfiguredError,
  UpstreamObserver,
  UpstreamThrottledError,
  UpstreamUnavailableError,
  type AvailabilityQuery,
  type AvailabilityResult,
  type MailboxAvailability,
  type ReadinessReport,
} from '@app/availability';
import { RelayConfigStore, type GraphSettings } from '@app/config';
import { abortable } from './abortable';
import { AdaptiveCallLimit } from './resilience/adaptive-call-limit';
import { AnchorBook } from './resilience/anchor-choice';
import { CircuitBreaker } from './resilience/circuit-breaker';
import { FairCallQueue } from './resilience/fair-call-queue';
import { GRAPH_LIMITS, type GraphLimits } from './graph-limits';
import { GraphScheduleClient } from './transport/graph-schedule.client';
import {
  ScheduleChunkRunner,
  type ChunkContext,
  type ChunkResult,
  type GraphCallPath,
} from './lookup/schedule-chunk-runner';
import { failedMailbox, readdressed } from './wire/schedule-error-mapping';
import { planScheduleChunks, selectMailboxes } from './lookup/schedule-plan';
import { TtlLruCache } from './ttl-lru-cache';

/** LOG_LEVEL values at which debug lines are written. */
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

/** Results worth remembering: what the mailbox *is*, not how one call went. */
const CACHEABLE = (result: MailboxAvailability) =>
  result.outcome === 'ok' ||
  result.reason === 'recipientNotFound' ||
  result.reason === 'accessDenied';

/**
 * The AvailabilityProvider backed by Microsoft Graph getSchedule (docs/protocol.md section 6).
 *
 * One lookup: mailboxes outside ALLOWED_DOMAINS are answered "not found" at once; the others are
 * deduplicated and served from the cache, from an identical lookup already in flight, or by
 * getSchedule calls of up to 20 schedules run in parallel (at most GRAPH_CONCURRENCY at once for
 * the app, shared fairly between lookups) with retries, all within GRAPH_DEADLINE_MS. When the deadline passes the finished chunks are
 * returned and the rest time out per mailbox. Request-level failures are thrown as the port's
 * errors: Graph refusing the relay (401/403) as UpstreamMisconfiguredError, an open circuit as
 * UpstreamUnavailableError, throttling past the deadline as UpstreamThrottledError.
 */
@Injectable()
export class GraphAvailabilityProvider extends AvailabilityProvider {
  readonly name = 'graph';
  private readonly logger = new Logger(GraphAvailabilityProvider.name);
  private readonly limits: GraphLimits = GRAPH_LIMITS;
  private readonly cache: TtlLruCache<MailboxAvailability>;
  /** Per-mailbox results being fetched right now, by cache key: identical lookups join them. */
  private readonly inFlight = new Map<string, Promise<MailboxAvailability>>();
  private readonly breaker: CircuitBreaker;
  private readonly runner: ScheduleChunkRunner;
  private readonly path: { -readonly [K in keyof GraphCallPath]: GraphCallPath[K] };
  private readiness?: { readonly atMs: number; readonly report: Promise<ReadinessReport> };
  /** Since when Entra has failed transiently (readiness rides that out for a while). */
  private transientTokenFailureSinceMs?: number;
  private hadToken = false;

  constructor(
    private readonly store: RelayConfigStore,
    private readonly client: GraphScheduleClient,
    @Optional() private readonly observer?: UpstreamObserver,
  ) {
    super();
    const graph = store.current().graph;
    // Cache settings are not secrets and do not change at run time.
    this.cache = new TtlLruCache({
      maxEntries: graph?.cacheMaxEntries ?? 0,
      ttlMs: (graph?.cacheTtlSeconds ?? 0) * 1000,
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: this.limits.breakerFailureThreshold,
      openMs: this.limits.breakerOpenMs,
    });
    const limit = this.callLimitFor(graph);
    this.path = {
      breaker: this.breaker,
      limit,
      queue: new FairCallQueue(limit),
      anchors: this.anchorsFor(graph),
    };
    this.runner = new ScheduleChunkRunner(client, this.path, this.limits);
    store.onChange((next, previous) => {
      // New Graph credentials (a Vault rotation): the last readiness answer is about the old ones.
      if (next.graph !== previous.graph) this.readiness = undefined;
      if (next.graph?.concurrency !== previous.graph?.concurrency) {
        this.path.limit = this.callLimitFor(next.graph);
        this.path.queue.useLimit(this.path.limit);
      }
      if (next.graph?.anchorMailbox !== previous.graph?.anchorMailbox) {
        this.path.anchors = this.anchorsFor(next.graph);
      }
    });
  }

  private callLimitFor(graph: GraphSettings | undefined): AdaptiveCallLimit {
    return new AdaptiveCallLimit({
      ceiling: graph?.concurrency ?? 4,
      recoverAfterMs: this.limits.concurrencyRecoverAfterMs,
    });
  }

  private anchorsFor(graph: GraphSettings | undefined): AnchorBook {
    return new AnchorBook({
      configured: graph?.anchorMailbox,
      refusedTtlMs: this.limits.refusedAnchorTtlMs,
      refusedMaxEntries: this.limits.refusedAnchorMaxEntries,
    });
  }

  async lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    const startedMs = Date.now();
    const config = this.store.current();
    const settings = this.settingsOf(config.graph);
    const { allowed, outsideAllowedDomains } = selectMailboxes(
      query.mailboxes,
      config.allowedDomains,
    );
    if (outsideAllowedDomains.length > 0) {
      this.logger.log(
        `Answered ${outsideAllowedDomains.length} mailbox(es) outside ALLOWED_DOMAINS as not found, without asking Graph: ${outsideAllowedDomains.join(', ')}${tag(query)}`,
      );
    }

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
      observer: this.observer,
    };

    try {
      const pending = new Map<string, Promise<MailboxAvailability>>();
      const misses: string[] = [];
      for (const address of allowed) {
        const key = this.cacheKey(address, query);
        const cached = this.cache.get(key);
        const joined = cached === undefined ? this.inFlight.get(key) : undefined;
        if (cached !== undefined) {
          pending.set(mailboxKey(address), Promise.resolve(cached));
          cacheHits += 1;
        } else if (joined !== undefined) {
          pending.set(mailboxKey(address), this.untilDeadline(joined, address, context));
          cacheHits += 1;
        } else {
          misses.push(address);
        }
      }
      this.observer?.cacheLookedUp(cacheHits, misses.length);
      if (misses.length > 0 && !this.breaker.canRequest()) {
        throw new UpstreamUnavailableError(
          'Microsoft Graph has been failing; calls are paused for a few seconds',
        );
      }
      const chunkRuns = planScheduleChunks(misses, this.limits.schedulesPerCall).map((chunk) => {
        const run = this.runner.run(chunk.schedules, context);
        for (const address of chunk.schedules) {
          const result = this.resultOf(run, address);
          pending.set(mailboxKey(address), result);
          this.track(this.cacheKey(address, query), result);
        }
        return run;
      });

      const settled = new Map<string, MailboxAvailability>();
      await Promise.all([...pending].map(async ([key, result]) => settled.set(key, await result)));
      const throttledForMs = (await Promise.all(chunkRuns))
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

      const outside = new Set(outsideAllowedDomains.map(mailboxKey));
      const mailboxes = query.mailboxes.map((address) => {
        const key = mailboxKey(address);
        const result = settled.get(key);
        if (result === undefined || outside.has(key)) {
          return failedMailbox(address, 'recipientNotFound');
        }
        return readdressed(result, address);
      });
      // Built only when it will be written: the arguments cost a pass over every mailbox.
      if (DEBUG_LEVELS.has(config.logLevel)) {
        this.logger.debug(
          `lookup${tag(query)}: ${query.mailboxes.length} mailboxes (${misses.length} from Graph, ${cacheHits} cached or joined, ${outside.size} outside allowed domains), ${upstreamCalls} getSchedule calls, ${mailboxes.filter((m) => m.outcome === 'ok').length} answered, ${Date.now() - startedMs} ms`,
        );
      }
      return { mailboxes, stats: { upstreamCalls, cacheHits } };
    } catch (error) {
      if (error instanceof UpstreamMisconfiguredError) {
        // Loud: no lookup can succeed until an operator fixes the app registration or secret.
        this.logger.error(
          `Microsoft Graph refused the relay: ${error.message}. Check GRAPH_CLIENT_ID/GRAPH_CLIENT_SECRET/GRAPH_AUTHORITY and that the app has the Calendars.ReadBasic.All application permission with admin consent (or an RBAC for Applications role assignment)${tag(query)}`,
        );
        this.rereadSecrets('Microsoft Graph refused the relay');
      }
      throw error;
    } finally {
      clearTimeout(timer);
      // Ends whatever this lookup still has running (chunks after a request-level failure).
      deadline.abort(new Error('lookup finished'));
    }
  }

  /** Whether a Graph token can be had; reused for a few seconds so probes don't hammer Entra. */
  checkReadiness(): Promise<ReadinessReport> {
    const now = Date.now();
    if (this.readiness === undefined || now - this.readiness.atMs >= this.limits.readinessCacheMs) {
      this.readiness = { atMs: now, report: this.probeToken() };
    }
    return this.readiness.report;
  }

  private async probeToken(): Promise<ReadinessReport> {
    if (this.store.current().graph === undefined) {
      return { ready: false, detail: 'Microsoft Graph is not configured' };
    }
    const check = await this.client.checkToken(AbortSignal.timeout(this.limits.readinessTimeoutMs));
    const nowMs = Date.now();
    if (check.ok) {
      this.hadToken = true;
      this.transientTokenFailureSinceMs = undefined;
      return { ready: true };
    }
    if (!check.transient) {
      this.transientTokenFailureSinceMs = undefined;
      this.rereadSecrets('no Graph token could be had');
      return { ready: false, detail: check.detail };
    }
    // Entra busy or failing for a moment (AADSTS90055, temporarily_unavailable, 5xx): lookups
    // retry within their deadline, and every replica sees the same Entra, so a hiccup must not
    // take the relay out of service. Only a relay that never had a token, or one that has had
    // none for longer than the grace, stops being ready.
    this.transientTokenFailureSinceMs ??= nowMs;
    const failingMs = nowMs - this.transientTokenFailureSinceMs;
    if (this.hadToken && failingMs < this.limits.transientReadinessGraceMs) {
      return { ready: true, detail: `${check.detail} (ready while it passes)` };
    }
    return { ready: false, detail: check.detail };
  }

  /**
   * The credentials failed: perhaps they were rotated in Entra and Vault already has the new
   * ones. Re-reads the secret source at once instead of at the next periodic refresh (the store
   * spaces such reads at least a second apart and never rejects); a changed GRAPH_* key
   * rebuilds the credential through RelayConfigStore.onChange.
   */
  private rereadSecrets(why: string): void {
    void this.store.refreshNow().then(({ changedKeys }) => {
      const graphKeys = changedKeys.filter((k) => k.startsWith('GRAPH_'));
      if (graphKeys.length > 0) {
        this.logger.log(
          `${why}; re-read the secrets: ${graphKeys.join(', ')} changed, the next lookup uses them`,
        );
      }
    });
  }

  private settingsOf(graph: GraphSettings | undefined): GraphSettings {
    if (graph === undefined) {
      throw new UpstreamMisconfiguredError(
        'Microsoft Graph is not configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY)',
      );
    }
    return graph;
  }

  /**
   * Per mailbox, window, interval and detail level: a free/busy-only lookup never gets (or
   * stores) details fetched for another caller.
   */
  private cacheKey(address: string, query: AvailabilityQuery): string {
    const { startMs, endMs } = query.window;
    return `${mailboxKey(address)}|${startMs}|${endMs}|${query.intervalMinutes}|${query.wantDetails ? 'detailed' : 'freebusy'}`;
  }

  /** One mailbox's result out of its chunk; rejects when Graph refused the relay itself. */
  private async resultOf(run: Promise<ChunkResult>, address: string): Promise<MailboxAvailability> {
    const chunk = await run;
    if (chunk.misconfigured !== undefined)
      throw new UpstreamMisconfiguredError(chunk.misconfigured);
    return (
      chunk.byKey.get(mailboxKey(address)) ??
      failedMailbox(address, 'generationFailed', 'internal error')
    );
  }

  /** Lets identical lookups join this result while it is fetched; caches it once known. */
  private track(key: string, result: Promise<MailboxAvailability>): void {
    this.inFlight.set(key, result);
    result
      .then(
        (value) => {
          if (CACHEABLE(value)) this.cache.set(key, value);
        },
        () => undefined,
      )
      .finally(() => {
        if (this.inFlight.get(key) === result) this.inFlight.delete(key);
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
      return failedMailbox(address, 'timeout', `deadline of ${context.deadlineMs} ms passed`);
    }
  }
}

function tag(query: AvailabilityQuery): string {
  return query.requestId !== undefined ? ` [request ${query.requestId}]` : '';
}
