import { parseRelayConfig, RelayConfigStore } from '@app/config';
import { DemoAvailabilityProvider } from './demo-availability.provider';

describe('DemoAvailabilityProvider', () => {
  const configOf = (env: Record<string, string>) =>
    parseRelayConfig({ GOOGLE_CLIENT_ID: 'google', GOOGLE_CLIENT_SECRET: 'secret', ...env });
  const store = new RelayConfigStore(configOf({ EVENT_DETAILS: 'true' }));
  const provider = new DemoAvailabilityProvider(store);
  const query = {
    mailboxes: ['adele.vance@contoso.com', 'nobody@contoso.com'],
    window: {
      startMs: Date.parse('2024-03-11T00:00:00Z'),
      endMs: Date.parse('2024-03-12T00:00:00Z'),
    },
    intervalMinutes: 30,
    wantDetails: false,
    tenant: 'contoso',
  };

  it('is the "demo" provider, always ready, with no upstream calls', async () => {
    expect(provider.name).toBe('demo');
    await expect(provider.checkReadiness()).resolves.toMatchObject({ ready: true });
    await expect(provider.lookup(query)).resolves.toMatchObject({
      stats: { upstreamCalls: 0, cacheHits: 0 },
    });
  });

  it('answers the sample mailboxes and no others', async () => {
    const outcomes = (await provider.lookup(query)).mailboxes.map((m) => m.outcome);
    expect(outcomes).toEqual(['ok', 'failed']);
  });

  it('routes each sample domain as a tenant, within ALLOWED_DOMAINS, read per lookup', () => {
    expect(provider.routes()).toEqual([
      { name: 'contoso', domains: ['contoso.com'], eventDetails: true },
      { name: 'fabrikam', domains: ['fabrikam.com'], eventDetails: true },
    ]);
    store.update(configOf({ ALLOWED_DOMAINS: 'fabrikam.com' }));
    expect(provider.routes()).toEqual([
      { name: 'fabrikam', domains: ['fabrikam.com'], eventDetails: false },
    ]);
    store.update(configOf({ ALLOWED_DOMAINS: 'northwind.com' }));
    expect(provider.routes()).toEqual([]);
  });
});
