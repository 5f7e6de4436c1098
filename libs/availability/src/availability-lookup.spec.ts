import { UpstreamMisconfiguredError, UpstreamThrottledError } from './availability-errors';
import type {
  AvailabilityQuery,
  AvailabilityResult,
  MailboxAvailability,
  ReadinessReport,
} from './availability-model';
import { lookUpAvailability } from './availability-lookup';
import { AvailabilityProvider } from './availability-provider';
import { mailboxPolicy, type TenantRoute } from './mailbox-policy';

const routes: TenantRoute[] = [
  { name: 'contoso', domains: ['contoso.com'], eventDetails: true },
  { name: 'fabrikam', domains: ['fabrikam.com'], eventDetails: false },
];

/** A provider that answers from a table and records what it was asked, per tenant. */
class TableProvider extends AvailabilityProvider {
  readonly name = 'table';
  readonly asked: AvailabilityQuery[] = [];
  failing = new Map<string, Error>();
  routes(): readonly TenantRoute[] {
    return routes;
  }
  lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    this.asked.push(query);
    const failure = this.failing.get(query.tenant);
    if (failure !== undefined) return Promise.reject(failure);
    const mailboxes = query.mailboxes.map((address): MailboxAvailability => ({
      address,
      outcome: 'ok',
      events: [
        {
          startMs: 1,
          endMs: 2,
          status: 'Busy',
          ...(query.wantDetails
            ? {
                details: {
                  subject: `${query.tenant} meeting`,
                  isMeeting: true,
                  isRecurring: false,
                  isException: false,
                  isReminderSet: false,
                  isPrivate: false,
                },
              }
            : {}),
        },
      ],
    }));
    return Promise.resolve({ mailboxes, stats: { upstreamCalls: 1, cacheHits: 0 } });
  }
  checkReadiness(): Promise<ReadinessReport> {
    return Promise.resolve({ ready: true });
  }
}

const lookup = (mailboxes: string[], wantDetails = true) => ({
  mailboxes,
  window: { startMs: 0, endMs: 3_600_000 },
  intervalMinutes: 30,
  wantDetails,
});
const policy = (tenants?: ReadonlySet<string>) =>
  mailboxPolicy({ tenants: routes, roleAccountDomainOnly: false }, { tenants });

describe('lookUpAvailability', () => {
  it('asks each tenant once for its distinct mailboxes and answers in request order, duplicates kept', async () => {
    const provider = new TableProvider();
    const asked = [
      'Ann@contoso.com',
      'bob@fabrikam.com',
      'nobody@nowhere.example',
      'ann@CONTOSO.com',
    ];
    const result = await lookUpAvailability(provider, lookup(asked), policy());

    expect(provider.asked.map((q) => [q.tenant, q.mailboxes])).toEqual([
      ['contoso', ['Ann@contoso.com']],
      ['fabrikam', ['bob@fabrikam.com']],
    ]);
    expect(result.mailboxes.map((m) => [m.address, m.outcome])).toEqual([
      ['Ann@contoso.com', 'ok'],
      ['bob@fabrikam.com', 'ok'],
      ['nobody@nowhere.example', 'failed'],
      ['ann@CONTOSO.com', 'ok'],
    ]);
    expect(result.tenants).toEqual(['contoso', 'fabrikam']);
    expect(result.stats).toEqual({ upstreamCalls: 2, cacheHits: 0 });
  });

  it('asks for details only where the policy allows them, and drops any that came anyway', async () => {
    const provider = new TableProvider();
    const result = await lookUpAvailability(
      provider,
      lookup(['ann@contoso.com', 'bob@fabrikam.com']),
      policy(),
    );
    expect(provider.asked.map((q) => [q.tenant, q.wantDetails])).toEqual([
      ['contoso', true],
      ['fabrikam', false],
    ]);
    const [ann, bob] = result.mailboxes;
    expect(ann.outcome === 'ok' && ann.events[0].details?.subject).toBe('contoso meeting');
    expect(bob.outcome === 'ok' && bob.events[0].details).toBeUndefined();
    expect(result.detailsAllowed).toBe(true);
  });

  it("keeps the other tenants' answers when one tenant fails as a whole", async () => {
    const provider = new TableProvider();
    provider.failing.set('fabrikam', new UpstreamThrottledError('throttled', 5000));
    const result = await lookUpAvailability(
      provider,
      lookup(['ann@contoso.com', 'bob@fabrikam.com']),
      policy(),
    );
    expect(result.mailboxes.map((m) => (m.outcome === 'ok' ? 'ok' : m.reason))).toEqual([
      'ok',
      'timeout',
    ]);
    expect(result.failedTenants.map((f) => f.tenant)).toEqual(['fabrikam']);
  });

  it('fails the request when every tenant asked fails', async () => {
    const provider = new TableProvider();
    provider.failing.set('contoso', new UpstreamMisconfiguredError('refused'));
    await expect(
      lookUpAvailability(provider, lookup(['ann@contoso.com']), policy()),
    ).rejects.toBeInstanceOf(UpstreamMisconfiguredError);
  });

  it('asks no one when the policy refuses every mailbox', async () => {
    const provider = new TableProvider();
    const result = await lookUpAvailability(
      provider,
      lookup(['ann@contoso.com', 'x@nowhere.example']),
      policy(new Set(['fabrikam'])),
    );
    expect(provider.asked).toEqual([]);
    expect(result.mailboxes.map((m) => m.outcome === 'failed' && m.reason)).toEqual([
      'accessDenied',
      'recipientNotFound',
    ]);
  });

  it('refuses a provider that answers the wrong number of mailboxes', async () => {
    const provider = new TableProvider();
    provider.lookup = () => Promise.resolve({ mailboxes: [] });
    await expect(
      lookUpAvailability(provider, lookup(['ann@contoso.com']), policy()),
    ).rejects.toThrow(/answered 0 mailboxes for 1 asked/);
  });
});
