import { Injectable } from '@nestjs/common';
import {
  AvailabilityProvider,
  type AvailabilityQuery,
  type AvailabilityResult,
  type ReadinessReport,
} from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { demoAvailability } from './demo-availability';

/**
 * Sample calendars of a made-up contoso.com tenant (demo-calendars.ts) behind the same port as
 * Microsoft Graph: `npm run demo` and the e2e tests get realistic answers without a tenant.
 * Honours ALLOWED_DOMAINS like the Graph provider, so a demo shows the relay's real policy.
 */
@Injectable()
export class DemoAvailabilityProvider extends AvailabilityProvider {
  readonly name = 'demo';

  constructor(private readonly config: RelayConfigStore) {
    super();
  }

  lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    const mailboxes = demoAvailability({
      mailboxes: query.mailboxes,
      window: query.window,
      wantDetails: query.wantDetails,
      allowedDomains: this.config.current().allowedDomains,
    });
    return Promise.resolve({ mailboxes, stats: { upstreamCalls: 0, cacheHits: 0 } });
  }

  checkReadiness(): Promise<ReadinessReport> {
    return Promise.resolve({ ready: true, detail: 'demo calendars (no Microsoft tenant)' });
  }
}
