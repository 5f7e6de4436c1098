import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import {
  mailboxKey,
  type MailboxAvailability,
  type MailboxFailureReason,
  type UpstreamObserver,
  type UtcWindow,
} from '@app/availability';
import type { AdaptiveCallLimit } from '../resilience/adaptive-call-limit';
import { anchorRefusalOf, type AnchorBook, type AnchorRefusal } from '../resilience/anchor-choice';
import type { CircuitBreaker } from '../resilience/circuit-breaker';
import type { FairCallQueue } from '../resilience/fair-call-queue';
import type { GraphCallOutcome } from '../wire/graph-call-outcome';
import { upstreamCallResultOf } from './graph-call-result';
import type { GraphLimits } from '../graph-limits';
import type { GraphScheduleClient } from '../transport/graph-schedule.client';
import type { GraphScheduleInformation } from '../wire/graph-schedule-wire';
import { decideRetry, type RetryableFailure } from '../resilience/retry-policy';
import { failedMailbox } from '../wire/schedule-error-mapping';
import { mapScheduleInformation, matchSchedules } from '../wire/schedule-mapping';
import { graphWindowOf, halvesOf, joinPieces, piecesForGraph } from './schedule-window';

/** What every chunk of one lookup shares. */
export interface ChunkContext {
  readonly window: UtcWindow;
  readonly intervalMinutes: number;
  readonly includeDetails: boolean;
  readonly deadlineMs: number;
  readonly deadlineAtMs: number;
  /** Aborts when the lookup's deadline passes. */
  readonly deadline: AbortSignal;
  /** The lookup the chunk belongs to: Graph's slots are shared out fairly between lookups. */
  readonly flow: object;
  readonly requestId?: string;
  /** Counts getSchedule requests sent for the lookup (a failed token fetch sends none). */
  readonly countCall: () => void;
  /** Told of every attempt and retry, for metrics. */
  readonly observer?: UpstreamObserver;
  /** The tenant whose app makes the calls (the metrics' label). */
  readonly tenant: string;
}

export interface ChunkResult {
  /** One result per schedule of the chunk, by mailbox key (empty when `misconfigured`). */
  readonly byKey: ReadonlyMap<string, MailboxAvailability>;
  /** Graph or Entra refused the relay itself (401/403, bad credentials): a request-level fault. */
  readonly misconfigured?: string;
  /** Graph kept throttling past the deadline; how long it asked callers to stay away. */
  readonly throttledForMs?: number;
}

/** What one app's calls go through: the same for every lookup of that app. */
export interface GraphCallPath {
  readonly breaker: CircuitBreaker;
  readonly queue: FairCallQueue;
  readonly limit: AdaptiveCallLimit;
  readonly anchors: AnchorBook;
}

/** How asking Graph for one set of schedules over one window ended. */
type Asked =
  /** Final: each schedule's result, or a request-level verdict. */
  | { readonly kind: 'done'; readonly result: ChunkResult }
  /** Graph answered; the items still have to be checked for a cut-off answer. */
  | { readonly kind: 'answered'; readonly schedules: readonly GraphScheduleInformation[] }
  /** Too slow or too big as one call: ask in two halves of the schedules. */
  | { readonly kind: 'split'; readonly why: string; readonly slow: boolean };

/**
 * Gets one chunk answered: Graph's per-app slots (shared fairly between lookups), the circuit
 * breaker, the call, and what Graph's answers call for, all within the lookup's deadline:
 * - retries with backoff for throttling and transient failures (retry-policy.ts), lowering the
 *   app's call limit on ApplicationThrottled (adaptive-call-limit.ts);
 * - another anchor when Graph refuses the URL's mailbox (anchor-choice.ts);
 * - one fresh token when Graph answers 401 to a cached one (revoked, or its secret rotated);
 * - the schedules in two halves when an attempt times out (a slow hybrid mailbox must not time
 *   out its chunk-mates) or Graph finds the call too big (list members count too);
 * - the window in two pieces when it would reach Graph longer than 62 days, and a schedule's
 *   window again in halves when its answer may have been cut off (schedule-window.ts);
 * - every answer checked against its availabilityView (availability-view.ts).
 * Never rejects: a chunk that cannot be answered fails each of its mailboxes with the reason the
 * caller should see.
 */
export class ScheduleChunkRunner {
  private readonly logger = new Logger('GraphAvailabilityProvider');

  constructor(
    private readonly client: GraphScheduleClient,
    private readonly path: GraphCallPath,
    private readonly limits: GraphLimits,
    private readonly random: () => number = Math.random,
  ) {}

  async run(schedules: readonly string[], context: ChunkContext): Promise<ChunkResult> {
    try {
      const pieces = piecesForGraph(context.window, context.intervalMinutes);
      if (pieces.length === 1) return await this.ask(schedules, context);
      const results = await Promise.all(
        pieces.map((window) => this.ask(schedules, { ...context, window })),
      );
      return joinChunkPieces(schedules, pieces, results);
    } catch (error) {
      this.logger.error(
        `getSchedule chunk failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
      return failAll(schedules, 'generationFailed', 'internal error in the relay');
    }
  }

  /**
   * The schedules over `context.window`, split further as Graph's answers require. `narrowing`:
   * these schedules are half of a chunk that took too long, so one of them may be slow.
   */
  private async ask(
    schedules: readonly string[],
    context: ChunkContext,
    narrowing = false,
  ): Promise<ChunkResult> {
    const asked = await this.attemptUntilDone(schedules, context, narrowing);
    switch (asked.kind) {
      case 'done':
        return asked.result;
      case 'split': {
        const half = Math.ceil(schedules.length / 2);
        this.logger.log(
          `getSchedule for ${schedules.length} schedules ${asked.why}: asking in two calls of ${half} and ${schedules.length - half}${requestTag(context)}`,
        );
        const parts = await Promise.all([
          this.ask(schedules.slice(0, half), context, asked.slow),
          this.ask(schedules.slice(half), context, asked.slow),
        ]);
        return mergeChunkResults(parts);
      }
      case 'answered':
        return this.completeAnswer(schedules, asked.schedules, context);
    }
  }

  /**
   * Maps an answer, and asks again, in halves of the window, for the schedules whose items may
   * have been cut off. Should that fail, the first answer stands: checked against its view it
   * already shows all the busy time, only some of it without details.
   */
  private async completeAnswer(
    schedules: readonly string[],
    answer: readonly GraphScheduleInformation[],
    context: ChunkContext,
  ): Promise<ChunkResult> {
    const matched = matchSchedules(answer, schedules);
    const options = {
      window: context.window,
      includeDetails: context.includeDetails,
      view: {
        startMs: graphWindowOf(context.window).startMs,
        intervalMinutes: context.intervalMinutes,
      },
    };
    const byKey = new Map<string, MailboxAvailability>();
    const cutOff: string[] = [];
    schedules.forEach((address, i) => {
      const info = matched[i];
      byKey.set(
        mailboxKey(address),
        info === undefined
          ? failedMailbox(address, 'generationFailed', 'missing from the Microsoft Graph answer')
          : mapScheduleInformation(info, address, options),
      );
      const items = info?.scheduleItems;
      if (Array.isArray(items) && items.length >= this.limits.truncationSuspectItems) {
        cutOff.push(address);
      }
    });
    const halves =
      cutOff.length > 0 ? halvesOf(context.window, context.intervalMinutes) : undefined;
    if (halves === undefined) return { byKey };
    this.logger.log(
      `getSchedule answered ${cutOff.length} schedule(s) with ${this.limits.truncationSuspectItems}+ items, perhaps cut off: asking again in two halves of the window${requestTag(context)}`,
    );
    const parts = await Promise.all(
      halves.map((window) => this.ask(cutOff, { ...context, window })),
    );
    const completed = joinChunkPieces(cutOff, halves, parts);
    for (const address of cutOff) {
      const key = mailboxKey(address);
      const result = completed.byKey.get(key);
      if (result?.outcome === 'ok') byKey.set(key, result);
    }
    return { byKey };
  }

  private async attemptUntilDone(
    schedules: readonly string[],
    context: ChunkContext,
    narrowing: boolean,
  ): Promise<Asked> {
    const { breaker, queue, limit, anchors } = this.path;
    const candidates = anchors.candidatesFor(schedules);
    const refusedHere = new Map<string, AnchorRefusal>();
    let anchorIndex = 0;
    let attempt = 0;
    let transientAttempts = 0;
    let throttledAttempts = 0;
    let tokenRenewed = false;
    const done = (result: ChunkResult): Asked => ({ kind: 'done', result });
    const timedOut = () => done(failAll(schedules, 'timeout', deadlineDetail(context), anchors));
    for (;;) {
      if (context.deadline.aborted) return timedOut();
      const anchor = candidates[anchorIndex];
      if (anchor === undefined) return done(failRefused(schedules, anchors));
      if (!breaker.tryAcquire()) {
        return done(
          failAll(
            schedules,
            'generationFailed',
            'Microsoft Graph is failing; calls are paused',
            anchors,
          ),
        );
      }
      attempt += 1;
      let outcome: GraphCallOutcome;
      let sentAtMs = Date.now();
      let inFlightWhenAnswered = 0;
      try {
        outcome = await queue.run(context.flow, context.deadline, async () => {
          sentAtMs = Date.now();
          const attemptMs = this.attemptMsFor(schedules.length, context, sentAtMs, narrowing);
          const signal = AbortSignal.any([context.deadline, AbortSignal.timeout(attemptMs)]);
          const answer = await this.client.getSchedule(
            {
              anchor,
              schedules,
              window: context.window,
              intervalMinutes: context.intervalMinutes,
              attempt,
            },
            signal,
          );
          inFlightWhenAnswered = queue.inFlight;
          return answer;
        });
      } catch (error) {
        // The deadline passed while this chunk waited for a slot (anything else is a bug, for
        // run() to log).
        if (!context.deadline.aborted) throw error;
        breaker.recordAbandoned();
        return timedOut();
      }

      if (outcome.kind !== 'tokenFailed') context.countCall();
      context.observer?.upstreamCallEnded(
        context.tenant,
        upstreamCallResultOf(outcome),
        Date.now() - sentAtMs,
      );

      let failure: RetryableFailure;
      switch (outcome.kind) {
        case 'answered':
          breaker.recordSuccess();
          if (anchors.configured === undefined) anchors.accept(anchor);
          return { kind: 'answered', schedules: outcome.schedules };
        case 'aborted':
          if (context.deadline.aborted) {
            breaker.recordAbandoned();
            return timedOut();
          }
          breaker.recordFailure();
          if (schedules.length > 1) return { kind: 'split', why: 'took too long', slow: true };
          failure = { kind: 'transient' };
          break;
        case 'network':
        case 'unreadable':
          breaker.recordFailure();
          this.logger.warn(
            `getSchedule via ${anchor} failed (${outcome.kind}: ${outcome.detail})${requestTag(context)}`,
          );
          failure = { kind: 'transient' };
          break;
        case 'tokenFailed':
          if (outcome.rejected) {
            breaker.recordAbandoned();
            return done({ byKey: new Map(), misconfigured: outcome.detail });
          }
          breaker.recordFailure();
          this.logger.warn(`${outcome.detail}${requestTag(context)}`);
          failure = { kind: 'transient' };
          break;
        case 'httpError': {
          const { status } = outcome;
          const said = `${status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}`;
          if (status === 401 && !tokenRenewed) {
            // The token was revoked, or issued for a secret since rotated: the client dropped
            // it, so the next attempt fetches a fresh one. Once; a second 401 is ours to fix.
            breaker.recordSuccess();
            tokenRenewed = true;
            attempt -= 1;
            continue;
          }
          const refusal = anchorRefusalOf(outcome);
          if (refusal !== undefined) {
            breaker.recordSuccess();
            if (anchors.configured !== undefined) {
              return done({
                byKey: new Map(),
                misconfigured: `Microsoft Graph refused GRAPH_ANCHOR_MAILBOX ${anchor} (${said}): set it to a mailbox inside the app's scope, in Exchange Online`,
              });
            }
            anchors.refuse(anchor, refusal);
            refusedHere.set(mailboxKey(anchor), refusal);
            anchorIndex += 1;
            if (anchorIndex < candidates.length && refusedHere.size <= this.limits.maxReanchors) {
              attempt -= 1;
              continue;
            }
            return done(failRefused(schedules, anchors));
          }
          if (status === 401 || status === 403) {
            breaker.recordSuccess();
            return done({ byKey: new Map(), misconfigured: `Microsoft Graph answered ${said}` });
          }
          if (
            status === 400 &&
            outcome.code === 'ErrorMailboxDataArrayTooBig' &&
            schedules.length > 1
          ) {
            // Members of distribution lists count toward Graph's limit of schedules per call.
            breaker.recordSuccess();
            return {
              kind: 'split',
              why: 'were too many for Graph (list members count too)',
              slow: false,
            };
          }
          if (status === 429) {
            breaker.recordSuccess();
            if (outcome.code?.toLowerCase() === 'applicationthrottled') {
              this.lowerCallLimit(limit, inFlightWhenAnswered, context);
            }
            failure = { kind: 'throttled', retryAfterMs: outcome.retryAfterMs };
          } else if (status === 503) {
            breaker.recordFailure();
            failure = { kind: 'throttled', retryAfterMs: outcome.retryAfterMs };
          } else if (status >= 500) {
            breaker.recordFailure();
            failure = { kind: 'transient' };
          } else {
            breaker.recordSuccess();
            this.logger.warn(`getSchedule via ${anchor} answered ${said}${requestTag(context)}`);
            return done(
              failAll(schedules, 'generationFailed', `Microsoft Graph answered ${status}`, anchors),
            );
          }
          break;
        }
      }

      const throttled = failure.kind === 'throttled';
      if (throttled) throttledAttempts += 1;
      else transientAttempts += 1;
      const decision = decideRetry(
        failure,
        {
          attempt: throttled ? throttledAttempts : transientAttempts,
          nowMs: Date.now(),
          deadlineAtMs: context.deadlineAtMs,
          random: this.random,
        },
        this.limits,
      );
      if (!decision.retry) {
        const reason: MailboxFailureReason =
          throttled || decision.why === 'deadline' ? 'timeout' : 'generationFailed';
        const detail = throttled
          ? 'Microsoft Graph is throttling requests'
          : reason === 'timeout'
            ? deadlineDetail(context)
            : `no usable answer from Microsoft Graph after ${transientAttempts} attempt${transientAttempts === 1 ? '' : 's'}`;
        const result = failAll(schedules, reason, detail, anchors);
        return done(throttled ? { ...result, throttledForMs: decision.backOffMs } : result);
      }
      context.observer?.upstreamRetryScheduled(context.tenant, failure.kind);
      try {
        await sleep(decision.delayMs, undefined, { signal: context.deadline });
      } catch {
        return timedOut();
      }
    }
  }

  /**
   * How long one attempt may take, in whole milliseconds (AbortSignal.timeout refuses fractions):
   * - a first attempt gets half the deadline at most, so a hung call leaves time for another;
   * - when narrowing down a slow mailbox, the halvings still to come (log2 of the schedules)
   *   share what is left equally, so the mailbox is alone in its call before the deadline and
   *   its chunk-mates are answered;
   * - when what would be left could not hold another attempt, the attempt takes it all.
   */
  private attemptMsFor(
    schedules: number,
    context: ChunkContext,
    nowMs: number,
    narrowing: boolean,
  ): number {
    const { minAttemptMs, attemptShareOfDeadline } = this.limits;
    const leftMs = context.deadlineAtMs - nowMs;
    const shareMs = narrowing
      ? leftMs / (Math.ceil(Math.log2(schedules)) + 1)
      : Math.min(context.deadlineMs * attemptShareOfDeadline, leftMs);
    const attemptMs = leftMs - shareMs < minAttemptMs ? leftMs : shareMs;
    return Math.round(Math.max(minAttemptMs, attemptMs));
  }

  /** Graph said the app has too many calls in flight: fewer for a while, said once per change. */
  private lowerCallLimit(limit: AdaptiveCallLimit, inFlight: number, context: ChunkContext): void {
    const lowered = limit.throttled(inFlight, Date.now());
    if (lowered !== undefined) {
      this.logger.warn(
        `Microsoft Graph throttled the app (ApplicationThrottled) with ${inFlight} call(s) in flight: at most ${lowered} at once for now, one more per ${this.limits.concurrencyRecoverAfterMs / 1000} s without throttling (other users of the same app id share Graph's 4)${requestTag(context)}`,
      );
    }
  }
}

/** Results of parts of one chunk (halves of its schedules), as one. */
function mergeChunkResults(parts: readonly ChunkResult[]): ChunkResult {
  const misconfigured = parts.find((p) => p.misconfigured !== undefined)?.misconfigured;
  if (misconfigured !== undefined) return { byKey: new Map(), misconfigured };
  const byKey = new Map<string, MailboxAvailability>();
  for (const part of parts) for (const [key, result] of part.byKey) byKey.set(key, result);
  const throttled = parts
    .map((p) => p.throttledForMs)
    .filter((ms): ms is number => ms !== undefined);
  return throttled.length > 0 ? { byKey, throttledForMs: Math.max(...throttled) } : { byKey };
}

/** The same schedules asked over consecutive pieces of a window, as one result. */
function joinChunkPieces(
  schedules: readonly string[],
  pieces: readonly UtcWindow[],
  results: readonly ChunkResult[],
): ChunkResult {
  const merged = mergeChunkResults(results);
  if (merged.misconfigured !== undefined) return merged;
  const byKey = new Map<string, MailboxAvailability>();
  for (const address of schedules) {
    const key = mailboxKey(address);
    const perPiece = results.map(
      (r) =>
        r.byKey.get(key) ??
        failedMailbox(address, 'generationFailed', 'internal error in the relay'),
    );
    byKey.set(key, joinPieces(pieces, perPiece));
  }
  return merged.throttledForMs !== undefined
    ? { byKey, throttledForMs: merged.throttledForMs }
    : { byKey };
}

/**
 * Every mailbox of the chunk fails with `reason`; an address Graph refused as anchor because it
 * is no user is reported not found (the one per-mailbox error exchangelib tolerates).
 */
function failAll(
  schedules: readonly string[],
  reason: MailboxFailureReason,
  detail: string,
  anchors?: AnchorBook,
): ChunkResult {
  return {
    byKey: new Map(
      schedules.map((address) => [
        mailboxKey(address),
        anchors?.refusalOf(address) === 'notAUser'
          ? failedMailbox(address, 'recipientNotFound')
          : failedMailbox(address, reason, detail),
      ]),
    ),
  };
}

/**
 * No anchor Graph accepts was found for these schedules: each gets what its own refusal says,
 * never free time. Out of the app's scope is Exchange's "no free/busy access".
 */
function failRefused(schedules: readonly string[], anchors: AnchorBook): ChunkResult {
  return {
    byKey: new Map(
      schedules.map((address) => {
        const result = ((): MailboxAvailability => {
          switch (anchors.refusalOf(address)) {
            case 'notAUser':
              return failedMailbox(address, 'recipientNotFound');
            case 'outOfScope':
              return failedMailbox(address, 'accessDenied');
            case 'notRestEnabled':
              return failedMailbox(
                address,
                'generationFailed',
                'Microsoft Graph does not serve this mailbox through its own address (on premises or unlicensed); set GRAPH_ANCHOR_MAILBOX to a mailbox in Exchange Online',
              );
            case undefined:
              return failedMailbox(
                address,
                'generationFailed',
                'Microsoft Graph refused the anchor mailboxes tried',
              );
          }
        })();
        return [mailboxKey(address), result];
      }),
    ),
  };
}

function deadlineDetail(context: ChunkContext): string {
  return `Microsoft Graph did not answer within the deadline of ${context.deadlineMs} ms`;
}

function requestTag(context: ChunkContext): string {
  return context.requestId !== undefined ? ` [request ${context.requestId}]` : '';
}
