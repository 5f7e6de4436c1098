import type { AvailabilityQuery, AvailabilityResult, ReadinessReport } from './availability-model';

/**
 * The port the EWS layer depends on. The app module binds it to the Graph provider when a
 * Microsoft tenant is configured, otherwise to the demo provider. Used as the DI token itself
 * (an abstract class survives compilation, an interface would not).
 */
export abstract class AvailabilityProvider {
  /** A short name for logs and the health report ("graph", "demo"). */
  abstract readonly name: string;

  /**
   * Answers every mailbox of the query, in order. Per-mailbox problems are results, not
   * exceptions; throw only for request-level failures (see availability-errors.ts).
   */
  abstract lookup(query: AvailabilityQuery): Promise<AvailabilityResult>;

  /** Whether the provider can currently obtain what it needs (e.g. a Graph token). */
  abstract checkReadiness(): Promise<ReadinessReport>;
}
