import type { UpstreamCallResult } from '@app/availability';
import type { GraphCallOutcome } from '../wire/graph-call-outcome';

/** The UpstreamObserver's word for how a getSchedule attempt ended. */
export function upstreamCallResultOf(outcome: GraphCallOutcome): UpstreamCallResult {
  switch (outcome.kind) {
    case 'answered':
      return 'answered';
    case 'httpError':
      return outcome.status === 429 || outcome.status === 503 ? 'throttled' : 'http_error';
    case 'unreadable':
      return 'unreadable';
    case 'network':
      return 'network';
    case 'aborted':
      return 'aborted';
    case 'tokenFailed':
      return 'token_failed';
  }
}
