/**
 * The start-up retry schedule for a secret source: a Vault that is still starting, or an init
 * job that has not written the secret yet (docker-compose's vault-init), gets a few chances
 * before the relay refuses to start.
 */

/** Maximum single delay: past this a restart by the orchestrator is the better retry. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * The delays between `attempts` tries: `firstMs`, doubled each time, capped at MAX_BACKOFF_MS.
 * `attempts` tries have `attempts - 1` delays between them.
 */
export function backoffDelays(attempts: number, firstMs: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < attempts - 1; i++) delays.push(Math.min(firstMs * 2 ** i, MAX_BACKOFF_MS));
  return delays;
}

export interface RetryOptions {
  readonly delaysMs: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told about each failed attempt that will be retried (1-based), with the delay before the next. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Errors that retrying cannot fix (a malformed setting) end the loop at once. */
  readonly isRetryable?: (error: unknown) => boolean;
}

/** Runs `operation` until it succeeds or the delays run out; rethrows the last error. */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delay = options.delaysMs[attempt - 1];
      if (delay === undefined || options.isRetryable?.(error) === false) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
