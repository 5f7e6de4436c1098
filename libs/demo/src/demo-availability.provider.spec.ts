import type { RelayConfig, RelayConfigStore } from '@app/config';
import { DemoAvailabilityProvider } from './demo-availability.provider';

describe('DemoAvailabilityProvider', () => {
  let config = { allowedDomains: [] as string[] } as unknown as RelayConfig;
  const store = { current: () => config } as unknown as RelayConfigStore;
  const provider = new DemoAvailabilityProvider(store);
  const query = {
    mailboxes: ['adele.vance@contoso.com', 'nobody@contoso.com'],
    window: {
      startMs: Date.parse('2024-03-11T00:00:00Z'),
      endMs: Date.parse('2024-03-12T00:00:00Z'),
    },
    intervalMinutes: 30,
    wantDetails: false,
  };

  it('is the "demo" provider, always ready, with no upstream calls', async () => {
    expect(provider.name).toBe('demo');
    await expect(provider.checkReadiness()).resolves.toMatchObject({ ready: true });
    await expect(provider.lookup(query)).resolves.toMatchObject({
      stats: { upstreamCalls: 0, cacheHits: 0 },
    });
  });

  it('reads ALLOWED_DOMAINS per lookup (a configuration refresh applies at once)', async () => {
    const outcomes = async () => (await provider.lookup(query)).mailboxes.map((m) => m.outcome);
    expect(await outcomes()).toEqual(['ok', 'failed']);
    config = { allowedDomains: ['fabrikam.com'] } as unknown as RelayConfig;
    expect(await outcomes()).toEqual(['failed', 'failed']);
  });
});
