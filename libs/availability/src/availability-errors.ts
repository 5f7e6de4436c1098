/**
 * Request-level failures a provider may throw. Each carries what the EWS layer needs to turn it
 * into the right SOAP fault; per-mailbox problems are never thrown (they are results).
 */
export abstract class AvailabilityError extends Error {
  abstract readonly kind: 'misconfigured' | 'throttled' | 'unavailable';
}

/**
 * The upstream refused the relay itself (Graph 401/403: a missing permission or a bad secret).
 * This is the operator's problem, not the caller's: logged loudly, answered as a server fault.
 */
export class UpstreamMisconfiguredError extends AvailabilityError {
  readonly kind = 'misconfigured' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamMisconfiguredError';
  }
}

/** The upstream is throttling us beyond the lookup's deadline; the caller should back off. */
export class UpstreamThrottledError extends AvailabilityError {
  readonly kind = 'throttled' as const;
  constructor(
    message: string,
    readonly backOffMs: number,
  ) {
    super(message);
    this.name = 'UpstreamThrottledError';
  }
}

/** The upstream cannot be used at all right now (circuit open, unreachable). */
export class UpstreamUnavailableError extends AvailabilityError {
  readonly kind = 'unavailable' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }
}
