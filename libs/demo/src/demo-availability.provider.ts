import { Injectable } from '@nestjs/common';
import {
  AvailabilityProvider,
  type AvailabilityQuery,
  type AvailabilityResult,
  type ReadinessReport,
  type TenantRoute,
} from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { DEMO_TENANTS, demoAvailability } from './demo-availability';

/**
 * Sample calendars of made-up tenants (demo-calendars.ts) behind the same port as Microsoft
 * Graph: `npm run demo` and the e2e tests get realistic answers without a tenant. Each domain of
 * the samples is a tenant of its own; ALLOWED_DOMAINS and EVENT_DETAILS apply as with Graph, so
 * a demo shows the relay's real policy.
 */
@Injectable()
export class DemoAvailabilityProvider extends AvailabilityProvider {
  readonly name = 'demo';

  constructor(private readonly config: RelayConfigStore) {
    super();
  }

  routes(): readonly TenantRoute[] {
    const { allowedDomains, eventDetails } = this.config.current();
    return DEMO_TENANTS.filter(
      (t) => allowedDomains.length === 0 || allowedDomains.includes(t.domain),
    ).map((t) => ({ name: t.name, domains: [t.domain], eventDetails }));
  }

  lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    const mailboxes = demoAvailability({
      mailboxes: query.mailboxes,
      window: query.window,
      wantDetails: query.wantDetails,
    });
    return Promise.resolve({ mailboxes, stats: { upstreamCalls: 0, cacheHits: 0 } });
  }

  checkReadiness(): Promise<ReadinessReport> {
    return Promise.resolve({ ready: true, detail: 'demo calendars (no Microsoft tenant)' });
  }
}
