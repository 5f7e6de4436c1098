import type { AvailabilityQuery, AvailabilityResult, ReadinessReport } from './availability-model';
import type { TenantRoute } from './mailbox-policy';

/**
 * The port the EWS layer depends on. The app module binds it to the Graph provider when a
 * Microsoft tenant is configured, otherwise to the demo provider. Used as the DI token itself
 * (an abstract class survives compilation, an interface would not).
 */
export abstract class AvailabilityProvider {
  /** A short name for logs and the health report ("graph", "demo"). */
  abstract readonly name: string;

  /**
   * The tenants this provider serves and the domains of each: what the mailbox policy routes
   * by (mailbox-policy.ts). Read at every lookup, so a configuration refresh applies at once.
   */
  abstract routes(): readonly TenantRoute[];

  /**
   * Answers every mailbox of the query (one tenant's, each once), in order. Per-mailbox
   * problems are results, not exceptions; throw only for failures of the whole tenant (see
   * availability-errors.ts).
   */
  abstract lookup(query: AvailabilityQuery): Promise<AvailabilityResult>;

  /** Whether the provider can currently obtain what it needs (e.g. a Graph token). */
  abstract checkReadiness(): Promise<ReadinessReport>;
}
