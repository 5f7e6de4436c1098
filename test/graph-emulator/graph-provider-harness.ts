import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  lookUpAvailability,
  mailboxPolicy,
  type AvailabilityLookupResult,
  type AvailabilityQuery,
} from '@app/availability';
import { parseRelayConfig, RelayConfigStore, type RelayConfig } from '@app/config';
import { GraphAvailabilityProvider, GraphModule } from '@app/graph';
import { CollectedLogs } from '../support/collected-logs';
import { GraphEmulator } from './graph-emulator';
import { recordOutboundConnections } from './outbound-connections';

export interface GraphProviderUnderTest {
  readonly provider: GraphAvailabilityProvider;
  readonly store: RelayConfigStore;
  readonly logs: CollectedLogs;
  /** The relay configuration for `env` on top of the emulator's GRAPH_* keys. */
  configWith(env: Record<string, string>): RelayConfig;
  close(): Promise<void>;
}

/**
 * The real GraphModule in a Nest testing module, configured the way the app configures it
 * (parseRelayConfig over GRAPH_* keys pointing at the emulator), with a RelayConfigStore the
 * test can update as Vault would.
 */
export async function startGraphProvider(
  emulator: GraphEmulator,
  env: Record<string, string> = {},
): Promise<GraphProviderUnderTest> {
  const configWith = (extra: Record<string, string>) =>
    parseRelayConfig({
      GOOGLE_CLIENT_ID: 'google-interop-test',
      GOOGLE_CLIENT_SECRET: 'test-secret-0123456789-abcdefghij',
      LOG_LEVEL: 'silent',
      ...emulator.relayEnv(),
      ...extra,
    });
  const store = new RelayConfigStore(configWith(env));

  @Global()
  @Module({
    providers: [{ provide: RelayConfigStore, useValue: store }],
    exports: [RelayConfigStore],
  })
  class TestConfigModule {}

  const logger = new CollectedLogs();
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [TestConfigModule, GraphModule],
  }).compile();
  moduleRef.useLogger(logger);
  await moduleRef.init();
  return {
    provider: moduleRef.get(GraphAvailabilityProvider),
    store,
    logs: logger,
    configWith: (extra) => configWith({ ...env, ...extra }),
    close: () => moduleRef.close(),
  };
}

export const DAY_MS = 86_400_000;

/** 2024-03-11T07:00Z .. +24 h: a Monday in Pacific time, as Google would ask. */
export const MONDAY = { startMs: Date.UTC(2024, 2, 11, 7), endMs: Date.UTC(2024, 2, 12, 7) };

export function availabilityQuery(
  mailboxes: readonly string[],
  overrides: Partial<AvailabilityQuery> = {},
): AvailabilityQuery {
  return {
    tenant: 'default',
    mailboxes,
    window: MONDAY,
    intervalMinutes: 30,
    wantDetails: false,
    ...overrides,
  };
}

/**
 * A whole lookup as the EWS operation makes it: the mailbox policy over the provider's routes
 * (ALLOWED_DOMAINS, tenants), one query per tenant, answers in request order with duplicates.
 */
export function lookUp(
  provider: GraphAvailabilityProvider,
  mailboxes: readonly string[],
  overrides: Partial<AvailabilityQuery> = {},
): Promise<AvailabilityLookupResult> {
  const { window, intervalMinutes, wantDetails, requestId } = availabilityQuery(
    mailboxes,
    overrides,
  );
  return lookUpAvailability(
    provider,
    { mailboxes, window, intervalMinutes, wantDetails, requestId },
    mailboxPolicy({ tenants: provider.routes(), roleAccountDomainOnly: false }),
  );
}

/** `n` mailboxes of contoso.com, programmed into the emulator with one busy hour each. */
export function contosoMailboxes(emulator: GraphEmulator, n: number, prefix = 'user'): string[] {
  return Array.from({ length: n }, (_, i) => {
    const address = `${prefix}${String(i).padStart(2, '0')}@contoso.com`;
    emulator.calendar.set(address, {
      events: [{ start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' }],
    });
    return address;
  });
}

/**
 * The set-up every suite of the Graph provider shares: one emulator for the file, reset before
 * each test, a provider started per test (`start`) and closed after it, and a record of every
 * outbound connection (for the suites' "contacted nothing but the emulator" checks).
 */
export function graphProviderSuite(): {
  readonly emulator: () => GraphEmulator;
  readonly start: (env?: Record<string, string>) => Promise<GraphProviderUnderTest>;
  readonly outbound: ReturnType<typeof recordOutboundConnections>;
} {
  let emulator: GraphEmulator | undefined;
  let relay: GraphProviderUnderTest | undefined;
  const outbound = recordOutboundConnections();
  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(async () => {
    await emulator?.close();
    outbound.restore();
  });
  beforeEach(() => {
    emulator!.resetRecords();
    emulator!.calendar.clear();
    emulator!.scheduleLatencyMs = 0;
  });
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });
  return {
    emulator: () => emulator!,
    start: async (env = {}) => (relay = await startGraphProvider(emulator!, env)),
    outbound,
  };
}
