/**
 * Fault injection for the Graph/Entra emulator. A test queues faults per endpoint; each request
 * takes the first matching fault that has uses left (`times`, Infinity = for good) and otherwise
 * gets the normal answer.
 */

export type EmulatedEndpoint = 'getSchedule' | 'places' | 'token' | 'openidConfiguration';

export type EmulatedFault =
  /** An HTTP error, by default with Graph's JSON error body for the status. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter?: string;
      readonly body?: unknown;
    }
  /** The normal answer, `ms` late. */
  | { readonly kind: 'slow'; readonly ms: number }
  /** Never answers (until the client gives up or the emulator closes). */
  | { readonly kind: 'hang' }
  /** 200 with a body cut off mid-JSON. */
  | { readonly kind: 'malformedJson' }
  /** Drops the connection without an answer. */
  | { readonly kind: 'reset' };

export interface FaultRequest {
  readonly anchor?: string;
  readonly schedules?: readonly string[];
  /** A places GET's path and query ("/v1.0/places/microsoft.graph.room?$top=100"). */
  readonly path?: string;
}

interface QueuedFault {
  readonly endpoint: EmulatedEndpoint;
  readonly fault: EmulatedFault;
  readonly match?: (request: FaultRequest) => boolean;
  remaining: number;
}

export class FaultPlan {
  private readonly queued: QueuedFault[] = [];

  add(
    endpoint: EmulatedEndpoint,
    fault: EmulatedFault,
    options: { times?: number; match?: (request: FaultRequest) => boolean } = {},
  ): void {
    this.queued.push({ endpoint, fault, match: options.match, remaining: options.times ?? 1 });
  }

  take(endpoint: EmulatedEndpoint, request: FaultRequest): EmulatedFault | undefined {
    const queued = this.queued.find(
      (q) => q.endpoint === endpoint && q.remaining > 0 && (q.match?.(request) ?? true),
    );
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    return queued.fault;
  }

  clear(): void {
    this.queued.length = 0;
  }
}

/** The body Graph sends with an error status (`{"error":{code,message,innerError}}`). */
export function graphErrorBody(status: number): unknown {
  const [code, message] = {
    400: ['BadRequest', 'The request is invalid.'],
    401: ['InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'],
    403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
    404: ['ErrorInvalidUser', 'The requested user is invalid.'],
    429: ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'],
    500: ['InternalServerError', 'An internal server error occurred.'],
    502: ['BadGateway', 'Bad gateway.'],
    503: ['ServiceNotAvailable', 'The service is temporarily unavailable. Please retry.'],
    504: ['GatewayTimeout', 'The gateway timed out.'],
  }[status] ?? ['UnknownError', 'Unknown error.'];
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': '8f3a1f62-5b1c-4d2e-9a77-3c4d5e6f7a8b',
        'client-request-id': '8f3a1f62-5b1c-4d2e-9a77-3c4d5e6f7a8b',
      },
    },
  };
}
