import type { GraphScheduleInformation } from './graph-schedule-wire';
import { parseRetryAfter } from './retry-after';

/**
 * What one getSchedule call came to. The client never throws: every way a call can end is a
 * value here, and the provider decides per kind what it means (retry, fail the chunk, fail the
 * whole lookup).
 */
export type GraphCallOutcome =
  /** 2xx with a readable `value[]`. */
  | { readonly kind: 'answered'; readonly schedules: readonly GraphScheduleInformation[] }
  /** Any other HTTP status, with what Graph said about it. */
  | {
      readonly kind: 'httpError';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      /** From `Retry-After`, when present and readable. */
      readonly retryAfterMs?: number;
    }
  /** A 2xx whose body is not the JSON getSchedule promises. */
  | { readonly kind: 'unreadable'; readonly status: number; readonly detail: string }
  /** No HTTP answer: connection refused or reset, TLS failure, DNS. */
  | { readonly kind: 'network'; readonly detail: string }
  /** The caller's signal ended the call (deadline or attempt timeout). */
  | { readonly kind: 'aborted' }
  /** No token: Entra refused our credentials (`rejected`) or could not be reached. */
  | { readonly kind: 'tokenFailed'; readonly rejected: boolean; readonly detail: string };

/** Reads a getSchedule HTTP answer. Pure; `nowMs` dates an HTTP-date Retry-After. */
export function readScheduleResponse(
  status: number,
  retryAfter: string | null,
  body: string,
  nowMs: number,
): GraphCallOutcome {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'unreadable', status, detail: 'the answer is not JSON' };
    }
    const value = (json as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) {
      return { kind: 'unreadable', status, detail: 'the answer has no value[] array' };
    }
    if (!value.every((item) => typeof item === 'object' && item !== null)) {
      return { kind: 'unreadable', status, detail: 'value[] holds something other than schedules' };
    }
    return { kind: 'answered', schedules: value as GraphScheduleInformation[] };
  }
  return readHttpError(status, retryAfter, body, nowMs);
}

/** A Graph HTTP answer that is not 2xx, with what Graph said about it. Pure. */
export function readHttpError(
  status: number,
  retryAfter: string | null,
  body: string,
  nowMs: number,
): Extract<GraphCallOutcome, { kind: 'httpError' }> {
  const { code, message } = graphErrorOf(body);
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  return {
    kind: 'httpError',
    status,
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** `{"error":{"code":"ErrorAccessDenied","message":"..."}}`, tolerating anything else. */
function graphErrorOf(body: string): { code?: string; message?: string } {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)
      ?.error;
    return {
      code: typeof error?.code === 'string' ? error.code : undefined,
      message: typeof error?.message === 'string' ? error.message.slice(0, 300) : undefined,
    };
  } catch {
    return {};
  }
}
