import { setTimeout as sleep } from 'node:timers/promises';
import {
  mailboxKey,
  UpstreamMisconfiguredError,
  UpstreamThrottledError,
  UpstreamUnavailableError,
  type AvailabilityError,
} from '@app/availability';
import type { GraphLimits } from '../graph-limits';
import { decideRetry, type RetryableFailure } from '../resilience/retry-policy';
import type { GraphPlace, PlacesCallOutcome } from '../wire/places-wire';
import { firstPageOf, nextPageOf } from './places-paging';

/** What the reader needs of a tenant's app: its places GET, on the app's own call path. */
export interface PlacesCaller {
  /** GRAPH_ENDPOINT: the only origin a nextLink may point to. */
  readonly endpoint: string;
  /** GRAPH_DEADLINE_MS: how long reading one whole collection may take. */
  readonly deadlineMs: number;
  /**
   * One GET on the app's call path: the wait for a slot ends with `deadline` (then it rejects),
   * the call itself after `attemptMs` too.
   */
  getPlaces(
    request: string,
    deadline: AbortSignal,
    attemptMs: number,
    flow: object,
  ): Promise<PlacesCallOutcome>;
}

/** How reading a whole places collection ended. */
export type PlacesRead =
  | {
      readonly kind: 'read';
      readonly places: readonly GraphPlace[];
      readonly pages: number;
      /** Pages reached by $skip because Graph sent no nextLink (for the log). */
      readonly skipPages: number;
      /** Why the walk stopped before Graph said it was done, if it did. */
      readonly stopped?: string;
    }
  /** 403: the app lacks Place.Read.All (Graph's words in `detail`). */
  | { readonly kind: 'forbidden'; readonly detail: string }
  /** 404: no such collection (a room list Graph does not know). */
  | { readonly kind: 'notFound' }
  | { readonly kind: 'failed'; readonly error: AvailabilityError };

/**
 * Reads a places collection to its end (places-paging.ts), each page retried as getSchedule
 * calls are (retry-policy.ts: Retry-After honoured, backoff with jitter, bounded attempts), all
 * within one deadline. A partial walk is a failure, never an answer: the directory caches what
 * the reader returns, and a cut-off room list would hide rooms for an hour.
 */
export class PlacesReader {
  constructor(
    private readonly caller: PlacesCaller,
    private readonly limits: GraphLimits,
    private readonly random: () => number = Math.random,
  ) {}

  async read(collection: string): Promise<PlacesRead> {
    const { deadlineMs } = this.caller;
    const deadline = AbortSignal.timeout(deadlineMs);
    const deadlineAtMs = Date.now() + deadlineMs;
    const flow = {};
    const places: GraphPlace[] = [];
    const seen = new Set<string>();
    const origin = new URL(this.caller.endpoint).origin;
    let request = firstPageOf(collection);
    let pages = 0;
    let skipPages = 0;
    for (;;) {
      const page = await this.pageOf(request, deadline, deadlineAtMs, deadlineMs, flow);
      if (page.kind !== 'page') return page;
      pages += 1;
      let anyNew = false;
      for (const place of page.places) {
        const key = keyOf(place);
        if (key !== undefined && seen.has(key)) continue;
        if (key !== undefined) seen.add(key);
        anyNew = true;
        places.push(place);
      }
      const next = nextPageOf(
        collection,
        {
          count: page.places.length,
          ...(page.nextLink !== undefined ? { nextLink: page.nextLink } : {}),
          readSoFar: places.length,
          pages,
          anyNew,
        },
        origin,
      );
      switch (next.kind) {
        case 'done':
          return { kind: 'read', places, pages, skipPages };
        case 'stopped':
          return { kind: 'read', places, pages, skipPages, stopped: next.why };
        case 'next':
          if (next.via === 'skip') skipPages += 1;
          request = next.request;
      }
    }
  }

  /** One page, retried until it is read, refused for good, or the deadline passes. */
  private async pageOf(
    request: string,
    deadline: AbortSignal,
    deadlineAtMs: number,
    deadlineMs: number,
    flow: object,
  ): Promise<Extract<PlacesCallOutcome, { kind: 'page' }> | Exclude<PlacesRead, { kind: 'read' }>> {
    const failed = (error: AvailabilityError) => ({ kind: 'failed' as const, error });
    const timedOut = () =>
      failed(
        new UpstreamUnavailableError(
          `Microsoft Graph places did not answer within the deadline of ${deadlineMs} ms`,
        ),
      );
    let transientAttempts = 0;
    let throttledAttempts = 0;
    let tokenRenewed = false;
    for (;;) {
      if (deadline.aborted) return timedOut();
      let outcome: PlacesCallOutcome;
      try {
        const attemptMs = Math.max(
          this.limits.minAttemptMs,
          Math.round(deadlineMs * this.limits.attemptShareOfDeadline),
        );
        outcome = await this.caller.getPlaces(request, deadline, attemptMs, flow);
      } catch {
        // The deadline passed while the call waited for one of the app's slots.
        return timedOut();
      }
      let failure: RetryableFailure;
      switch (outcome.kind) {
        case 'page':
          return outcome;
        case 'aborted':
          if (deadline.aborted) return timedOut();
          failure = { kind: 'transient' };
          break;
        case 'network':
        case 'unreadable':
          failure = { kind: 'transient' };
          break;
        case 'tokenFailed':
          if (outcome.rejected) return failed(new UpstreamMisconfiguredError(outcome.detail));
          failure = { kind: 'transient' };
          break;
        case 'httpError': {
          const said = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}`;
          if (outcome.status === 401 && !tokenRenewed) {
            // The client dropped the refused token: once more with a fresh one.
            tokenRenewed = true;
            continue;
          }
          if (outcome.status === 401) {
            return failed(new UpstreamMisconfiguredError(`Microsoft Graph answered ${said}`));
          }
          if (outcome.status === 403) return { kind: 'forbidden', detail: said };
          if (outcome.status === 404) return { kind: 'notFound' };
          if (outcome.status === 429 || outcome.status === 503) {
            failure = { kind: 'throttled', retryAfterMs: outcome.retryAfterMs };
          } else if (outcome.status >= 500) {
            failure = { kind: 'transient' };
          } else {
            return failed(new UpstreamUnavailableError(`Microsoft Graph places answered ${said}`));
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
          deadlineAtMs,
          random: this.random,
        },
        this.limits,
      );
      if (!decision.retry) {
        return failed(
          throttled
            ? new UpstreamThrottledError(
                'Microsoft Graph is throttling the relay',
                decision.backOffMs ?? this.limits.backoffCapMs,
              )
            : new UpstreamUnavailableError(
                `no usable answer from Microsoft Graph places after ${transientAttempts} attempt${transientAttempts === 1 ? '' : 's'}`,
              ),
        );
      }
      try {
        await sleep(decision.delayMs, undefined, { signal: deadline });
      } catch {
        return timedOut();
      }
    }
  }
}

/** A place's identity across pages: its address, else its id. */
function keyOf(place: GraphPlace): string | undefined {
  if (typeof place.emailAddress === 'string' && place.emailAddress !== '') {
    return mailboxKey(place.emailAddress);
  }
  return typeof place.id === 'string' && place.id !== '' ? `id:${place.id}` : undefined;
}
