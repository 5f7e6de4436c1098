import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { removeCliFiles, runCli } from './cli-process';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './support/relay-app';

/**
 * `calendar-relay config-check`: the configuration as the relay would load it (environment,
 * ./.env, SECRETS_DIR), each key's source and never a secret's value, a Graph token and a
 * getSchedule call against the local Entra/Graph emulator, and the admin console values.
 */

let emulator: GraphEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  dir = mkdtempSync(join(tmpdir(), 'calendar-relay-config-check-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  removeCliFiles();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.calendar.clear();
  emulator.resetRecords();
});

function relayEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
    ALLOWED_DOMAINS: 'contoso.com,fabrikam.com',
    ...emulator.relayEnv(),
    ...extra,
  };
}

it("proves token and getSchedule, names each key's source and prints the admin console values", async () => {
  emulator.calendar.set('adele@contoso.com', {});
  const run = await runCli(
    ['config-check', '--address', 'adele@contoso.com', '--url', 'https://relay.example.com'],
    { env: relayEnv() },
  );
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^ +GOOGLE_CLIENT_ID +environment$/m);
  expect(run.stdout).toMatch(/^ +GRAPH_CLIENT_SECRET +environment +\[secret, not shown\]$/m);
  expect(run.stdout).toMatch(/^ +PORT +\(not set: default\)$/m);
  expect(run.stdout).toContain(
    'Exchange Web Services URL: https://relay.example.com/EWS/Exchange.asmx',
  );
  expect(run.stdout).toContain('Token endpoint URL:        https://relay.example.com/token');
  expect(run.stdout).toContain(`Application (client) ID:   ${TEST_CLIENT_ID}`);
  expect(run.stdout).toMatch(
    /^ +contoso\.com: EWS URL https:\/\/relay\.example\.com\/EWS\/Exchange\.asmx, role account/m,
  );
  expect(run.stdout).toMatch(/^ +fabrikam\.com: EWS URL/m);
  expect(run.stdout).toContain('Microsoft Graph token: OK');
  expect(run.stdout).toContain(
    'Microsoft Graph room directory (Graph places, Place.Read.All) works: no room lists',
  );
  expect(run.stdout).toContain('getSchedule for adele@contoso.com works');
  expect(emulator.scheduleCalls.at(-1)?.schedules).toEqual(['adele@contoso.com']);
  const everything = run.stdout + run.stderr;
  expect(everything).not.toContain(TEST_CLIENT_SECRET);
  expect(everything).not.toContain(emulator.clientSecret);
});

it('names a missing Place.Read.All as a warning: free/busy works without it', async () => {
  emulator.calendar.set('adele@contoso.com', {});
  emulator.primary.roles = ['Calendars.ReadBasic.All'];
  try {
    const run = await runCli(['config-check', '--address', 'adele@contoso.com'], {
      env: relayEnv(),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: Microsoft Graph refused the room directory (403 UnknownError:',
    );
    expect(run.stderr).toContain('grant the app the Place.Read.All application permission');
    expect(run.stdout).toContain('getSchedule for adele@contoso.com works');
  } finally {
    emulator.primary.roles = ['Calendars.ReadBasic.All', 'Place.Read.All'];
  }
});

it('reads ./.env and SECRETS_DIR as the relay does, and says which key came from where', async () => {
  const cwd = join(dir, 'with-dotenv');
  const secrets = join(dir, 'secrets');
  mkdirSync(cwd);
  mkdirSync(secrets);
  writeFileSync(join(cwd, '.env'), `GOOGLE_CLIENT_ID=${TEST_CLIENT_ID}\nEVENT_DETAILS=true\n`);
  writeFileSync(join(secrets, 'google_client_secret'), TEST_CLIENT_SECRET);
  const rest = Object.fromEntries(
    Object.entries(relayEnv({ SECRETS_DIR: secrets })).filter(([k]) => !k.startsWith('GOOGLE_')),
  );
  const run = await runCli(['config-check'], { env: rest, cwd });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^ +GOOGLE_CLIENT_ID +\.env$/m);
  expect(run.stdout).toMatch(/^ +EVENT_DETAILS +\.env$/m);
  expect(run.stdout).toMatch(
    new RegExp(`^ +GOOGLE_CLIENT_SECRET +files \\(${secrets}\\) +\\[secret, not shown\\]$`, 'm'),
  );
  expect(run.stdout).toMatch(/^ +SECRETS_DIR +environment$/m);
  expect(run.stdout).toContain('getSchedule: not tried (pass --address');
  expect(run.stdout + run.stderr).not.toContain(TEST_CLIENT_SECRET);
});

it('fails in one line when the app lacks the getSchedule permission', async () => {
  emulator.faults.add('getSchedule', { kind: 'status', status: 403 });
  const run = await runCli(['config-check', '--address', 'adele@contoso.com'], { env: relayEnv() });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /^config-check: Microsoft Graph refused getSchedule \(403 ErrorAccessDenied.*Calendars\.ReadBasic\.All application permission with admin consent.*$/m,
  );
});

it('says a scoped app refuses the address, and proves the permission through GRAPH_ANCHOR_MAILBOX', async () => {
  emulator.calendar.set('adele@contoso.com', {}).set('megan@contoso.com', {});
  emulator.scopeTo(['megan@contoso.com']);
  try {
    const outside = await runCli(['config-check', '--address', 'adele@contoso.com'], {
      env: relayEnv(),
    });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /^config-check: .*adele@contoso\.com is outside its scope.*GRAPH_ANCHOR_MAILBOX/m,
    );
    const anchored = await runCli(['config-check', '--address', 'adele@contoso.com'], {
      env: { ...relayEnv(), GRAPH_ANCHOR_MAILBOX: 'megan@contoso.com' },
    });
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toContain('getSchedule for adele@contoso.com works');
  } finally {
    emulator.scopeTo(undefined);
  }
});

it('fails when Entra refuses the Graph secret, without printing it', async () => {
  const run = await runCli(['config-check', '--address', 'adele@contoso.com'], {
    env: relayEnv({ GRAPH_CLIENT_SECRET: 'wrong~graph-secret-000' }),
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^config-check: no Microsoft Graph token: /m);
  expect(run.stdout + run.stderr).not.toContain('wrong~graph-secret-000');
  expect(emulator.scheduleCalls).toHaveLength(0);
});

it("fails for an address Graph has no mailbox for, in Google's words", async () => {
  const run = await runCli(['config-check', '--address', 'ghost@contoso.com'], { env: relayEnv() });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /^config-check: Microsoft Graph has no mailbox ghost@contoso\.com \(404 ErrorInvalidUser.*Google would show "Invalid attendee"/m,
  );
});

it('refuses a malformed IP_ALLOWLIST as the relay would, before any Graph call', async () => {
  const run = await runCli(['config-check', '--address', 'adele@contoso.com'], {
    env: relayEnv({ IP_ALLOWLIST: 'google,74.125.88.0/33' }),
  });
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe(
    'config-check: the relay would refuse to start: Invalid configuration: IP_ALLOWLIST must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32, google); "74.125.88.0/33" is not one',
  );
  expect(emulator.counters.tokensIssued).toBe(0);
});

it("lists every tenant's keys with their sources, secrets named and never shown", async () => {
  const secrets = join(dir, 'tenant-secrets');
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'tenant_contoso_graph_client_secret'), 'contoso-graph-secret-0000\n');
  const run = await runCli(['config-check'], {
    env: {
      GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      SECRETS_DIR: secrets,
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com',
      TENANT_CONTOSO_GRAPH_CLIENT_ID: emulator.clientId,
      TENANT_CONTOSO_GRAPH_AUTHORITY: emulator.authority,
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      TENANT_FABRIKAM_GRAPH_CLIENT_ID: emulator.clientId,
      TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'fabrikam-graph-secret-1111',
      TENANT_FABRIKAM_GRAPH_AUTHORITY: emulator.authority,
    },
  });
  expect(run.stdout).toMatch(/^ +TENANTS +environment$/m);
  expect(run.stdout).toMatch(
    new RegExp(
      `^ +TENANT_CONTOSO_GRAPH_CLIENT_SECRET +files \\(${secrets}\\) +\\[secret, not shown\\]$`,
      'm',
    ),
  );
  expect(run.stdout).toMatch(/^ +TENANT_CONTOSO_DOMAINS +environment$/m);
  expect(run.stdout).toMatch(/^ +TENANT_CONTOSO_GRAPH_ENDPOINT +\(not set: default\)$/m);
  expect(run.stdout).toMatch(
    /^ +TENANT_FABRIKAM_GRAPH_CLIENT_SECRET +environment +\[secret, not shown\]$/m,
  );
  expect(run.stdout).toMatch(/^ +fabrikam\.com: EWS URL/m);
  expect(run.stdout + run.stderr).not.toMatch(/(contoso|fabrikam)-graph-secret/);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    "config-check: TENANTS is set (contoso, fabrikam): the keys above are valid; checking each tenant's Microsoft Graph token and permission is not done yet",
  );
});

it('refuses a tenant mistake in the one line start-up would print', async () => {
  const run = await runCli(['config-check'], {
    env: {
      GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com',
      TENANT_CONTOSO_GRAPH_CLIENT_ID: 'app',
      TENANT_CONTOSO_GRAPH_CLIENT_SECRET: 'contoso-graph-secret-0000',
      TENANT_CONTOSO_GRAPH_AUTHORITY: emulator.authority,
    },
  });
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe(
    'config-check: the relay would refuse to start: Invalid configuration: TENANTS names fabrikam, but no TENANT_FABRIKAM_* key is set (it needs TENANT_FABRIKAM_DOMAINS, TENANT_FABRIKAM_GRAPH_CLIENT_ID, TENANT_FABRIKAM_GRAPH_CLIENT_SECRET, TENANT_FABRIKAM_GRAPH_AUTHORITY; or remove fabrikam from TENANTS)',
  );
});

it('fails with the reason the relay would refuse to start, or run on demo calendars', async () => {
  const broken = await runCli(['config-check'], {
    env: { GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET },
  });
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain('config-check: the relay would refuse to start:');
  expect(broken.stderr).toContain('GOOGLE_CLIENT_ID is required');

  const demo = await runCli(['config-check'], {
    env: { GOOGLE_CLIENT_ID: TEST_CLIENT_ID, GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET },
  });
  expect(demo.code).toBe(1);
  expect(demo.stderr).toContain('no Microsoft tenant configured');
  expect(demo.stdout).toContain('Token endpoint URL:');
});
