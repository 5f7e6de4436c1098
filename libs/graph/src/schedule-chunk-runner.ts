import { Logger } from '@nestjs/common';
import type {
  MailboxAvailability,
  MailboxFailureReason,
  UpstreamObserver,
  UtcWindow,
} from '@app/availability';
import { delay } from './abortable';
import type { CircuitBreaker } from './circuit-breaker';
import type { KeyedConcurrencyLimiter } from './concurrency-limiter';
import type { GraphCallOutcome } from './graph-call-outcome';
import { upstreamCallResultOf } from './graph-call-result';
import type { GraphLimits } from './graph-limits';
import type { GraphScheduleClient } from './graph-schedule.client';
import { decideRetry, type RetryableFailure } from './retry-policy';
import { failedMailbox } from './schedule-error-mapping';
import { mapScheduleAnswer } from './schedule-mapping';
import { mailboxKey, type ScheduleChunk } from './schedule-plan';

/** What every chunk of one lookup shares. */
export interface ChunkContext {
  readonly window: UtcWindow;
  readonly intervalMinutes: number;
  readonly includeDetails: boolean;
  readonly deadlineMs: number;
  readonly deadlineAtMs: number;
  /** Aborts when the lookup's deadline passes. */
  readonly deadline: AbortSignal;
  readonly requestId?: string;
  /** Counts getSchedule requests sent for the lookup (a failed token fetch sends none). */
  readonly countCall: () => void;
  /** Told of every attempt and retry, for metrics. */
  readonly observer?: UpstreamObserver;
}

export interface ChunkResult {
  /** One result per schedule of the chunk, by mailbox key (empty when `misconfigured`). */
  readonly byKey: ReadonlyMap<string, MailboxAvailability>;
  /** Graph or Entra refused the relay itself (401/403, bad credentials): a request-level fault. */
  readonly misconfigured?: string;
  /** Graph kept throttling past the deadline; how long it asked callers to stay away. */
  readonly throttledForMs?: number;
}

/**
 * Gets one chunk answered: concurrency slot, circuit breaker, the call, and the retry policy,
 * within the lookup's deadline. Never rejects: a chunk that cannot be answered fails each of its
 * mailboxes with the reason the caller should see.
 */
export class ScheduleChunkRunner {
  private readonly logger = new Logger('GraphAvailabilityProvider');

  constructor(
    private readonly client: GraphScheduleClient,
    private readonly breaker: CircuitBreaker,
    private readonly limiter: KeyedConcurrencyLimiter,
    private readonly limits: GraphLimits,
    private readonly random: () => number = Math.random,
  ) {}

  async run(chunk: ScheduleChunk, context: ChunkContext): Promise<ChunkResult> {
    try {
      return await this.attemptUntilDone(chunk, context);
    } catch (error) {
      this.logger.error(
        `getSchedule chunk failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
      return failAll(chunk, 'generationFailed', 'internal error');
    }
  }

  private async attemptUntilDone(
    chunk: ScheduleChunk,
    context: ChunkContext,
  ): Promise<ChunkResult> {
    const refusedAnchors = new Set<string>();
    let anchorIndex = 0;
    let attempt = 0;
    const timedOut = () =>
      failAll(chunk, 'timeout', `deadline of ${context.deadlineMs} ms passed`, refusedAnchors);
    for (;;) {
      if (context.deadline.aborted) return timedOut();
      if (!this.breaker.tryAcquire()) {
        return failAll(
          chunk,
          'generationFailed',
          'Microsoft Graph is failing; calls are paused',
          refusedAnchors,
        );
      }
      attempt += 1;
      const anchor = chunk.schedules[anchorIndex];
      let outcome: GraphCallOutcome;
      let sentAtMs = Date.now();
      try {
        outcome = await this.limiter.run(mailboxKey(anchor), context.deadline, () => {
          sentAtMs = Date.now();
          const attemptMs = Math.max(
            this.limits.minAttemptMs,
            Math.min(
              context.deadlineAtMs - Date.now(),
              context.deadlineMs * this.limits.attemptShareOfDeadline,
            ),
          );
          const signal = AbortSignal.any([context.deadline, AbortSignal.timeout(attemptMs)]);
          return this.client.getSchedule(
            {
              anchor,
              schedules: chunk.schedules,
              window: context.window,
              intervalMinutes: context.intervalMinutes,
              attempt,
            },
            signal,
          );
        });
      } catch {
        // The deadline passed while this chunk waited for a slot.
        this.breaker.recordAbandoned();
        return timedOut();
      }

      if (outcome.kind !== 'tokenFailed') context.countCall();
      context.observer?.upstreamCallEnded(upstreamCallResultOf(outcome), Date.now() - sentAtMs);

      let failure: RetryableFailure;
      switch (outcome.kind) {
        case 'answered':
          this.breaker.recordSuccess();
          return {
            byKey: byKeyOf(
              mapScheduleAnswer(outcome.schedules, chunk.schedules, {
                window: context.window,
                includeDetails: context.includeDetails,
              }),
            ),
          };
        case 'aborted':
          if (context.deadline.aborted) {
            this.breaker.recordAbandoned();
            return timedOut();
          }
          this.breaker.recordFailure();
          failure = { kind: 'transient' };
          break;
        case 'network':
        case 'unreadable':
          this.breaker.recordFailure();
          this.logger.warn(
            `getSchedule via ${anchor} failed (${outcome.kind}: ${outcome.detail})${requestTag(context)}`,
          );
          failure = { kind: 'transient' };
          break;
        case 'tokenFailed':
          if (outcome.rejected) {
            this.breaker.recordAbandoned();
            return { byKey: new Map(), misconfigured: outcome.detail };
          }
          this.breaker.recordFailure();
          this.logger.warn(`${outcome.detail}${requestTag(context)}`);
          failure = { kind: 'transient' };
          break;
        case 'httpError': {
          const { status } = outcome;
          if (status === 401 || status === 403) {
            this.breaker.recordSuccess();
            return {
              byKey: new Map(),
              misconfigured: `Microsoft Graph answered ${status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}`,
            };
          }
          if (status === 404) {
            // Graph refuses an anchor that is no mailbox it can use (unknown address, mailbox
            // not in Exchange Online). The other schedules of the chunk may be fine: the call
            // is repeated with the next one as anchor, and the refused address keeps its place
            // in `schedules`, where Graph reports it per schedule.
            this.breaker.recordSuccess();
            refusedAnchors.add(mailboxKey(anchor));
            if (
              anchorIndex + 1 < chunk.schedules.length &&
              refusedAnchors.size <= this.limits.maxReanchors
            ) {
              anchorIndex += 1;
              attempt -= 1;
              continue;
            }
            return failAll(
              chunk,
              'generationFailed',
              'Graph refused the anchor mailbox',
              refusedAnchors,
            );
          }
          if (status === 429) {
            this.breaker.recordSuccess();
            failure = { kind: 'throttled', retryAfterMs: outcome.retryAfterMs };
          } else if (status === 503) {
            this.breaker.recordFailure();
            failure = { kind: 'throttled', retryAfterMs: outcome.retryAfterMs };
          } else if (status >= 500) {
            this.breaker.recordFailure();
            failure = { kind: 'transient' };
          } else {
            this.breaker.recordSuccess();
            this.logger.warn(
              `getSchedule via ${anchor} answered ${status} ${outcome.code ?? ''}: ${outcome.message ?? ''}${requestTag(context)}`,
            );
            return failAll(chunk, 'generationFailed', `Graph answered ${status}`, refusedAnchors);
          }
          break;
        }
      }

      const decision = decideRetry(
        failure,
        { attempt, nowMs: Date.now(), deadlineAtMs: context.deadlineAtMs, random: this.random },
        this.limits,
      );
      if (!decision.retry) {
        const throttled = failure.kind === 'throttled';
        const reason: MailboxFailureReason =
          throttled || decision.why === 'deadline' ? 'timeout' : 'generationFailed';
        const detail = throttled
          ? 'Microsoft Graph is throttling requests'
          : reason === 'timeout'
            ? `deadline of ${context.deadlineMs} ms passed`
            : `no usable answer after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
        const result = failAll(chunk, reason, detail, refusedAnchors);
        return throttled ? { ...result, throttledForMs: decision.backOffMs } : result;
      }
      context.observer?.upstreamRetryScheduled(failure.kind);
      try {
        await delay(decision.delayMs, context.deadline);
      } catch {
        return timedOut();
      }
    }
  }
}

function byKeyOf(results: readonly MailboxAvailability[]): Map<string, MailboxAvailability> {
  return new Map(results.map((r) => [mailboxKey(r.address), r]));
}

/** Every mailbox of the chunk fails; an anchor Graph refused as a user is reported not found. */
function failAll(
  chunk: ScheduleChunk,
  reason: MailboxFailureReason,
  detail: string,
  refusedAnchors: ReadonlySet<string> = new Set(),
): ChunkResult {
  return {
    byKey: byKeyOf(
      chunk.schedules.map((address) =>
        refusedAnchors.has(mailboxKey(address))
          ? failedMailbox(address, 'recipientNotFound')
          : failedMailbox(address, reason, detail),
      ),
    ),
  };
}

function requestTag(context: ChunkContext): string {
  return context.requestId !== undefined ? ` [request ${context.requestId}]` : '';
}
