import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
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

describe('with TENANTS, two emulated tenants of their own apps and directories', () => {
  let contoso: EmulatedTenant;
  let fabrikam: EmulatedTenant;

  beforeAll(() => {
    contoso = emulator.primary;
    fabrikam = emulator.addTenant({
      tenant: '9a8b7c6d-0000-4000-8000-fabrikam0001',
      clientId: '99999999-8888-7777-6666-555555555555',
      clientSecret: 'fabrikam~secret.fedcba9876543210',
    });
  });
  beforeEach(() => {
    fabrikam.resetRecords();
    fabrikam.calendar.clear();
    fabrikam.scopeTo(undefined);
    contoso.calendar.set('adele@contoso.com', {});
    fabrikam.calendar.set('lars@fabrikam.com', {});
  });

  function tenantsEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      TENANT_FABRIKAM_GOOGLE_CLIENT_ID: 'google-fabrikam',
      TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'fabrikam-google-secret-2222',
      ...emulator.relayEnvOf(contoso, 'contoso'),
      ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
      ...extra,
    };
  }

  const secretsOf = () => [
    contoso.clientSecret,
    fabrikam.clientSecret,
    TEST_CLIENT_SECRET,
    'fabrikam-google-secret-2222',
  ];

  it("checks every tenant's token and getSchedule, each through its own app, and passes", async () => {
    const run = await runCli(
      [
        'config-check',
        '--address',
        'lars@fabrikam.com',
        '--address',
        'adele@contoso.com',
        '--url',
        'https://relay.example.com',
      ],
      { env: tenantsEnv() },
    );
    expect(run.stderr).not.toMatch(/^config-check:/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Tenant contoso \(contoso\.com, contoso\.de\):\n {2}Microsoft Graph token: OK\n {2}Microsoft Graph room directory \(Graph places, Place\.Read\.All\) works: no room lists\n {2}getSchedule for adele@contoso\.com works/m,
    );
    expect(run.stdout).toMatch(
      /^Tenant fabrikam \(fabrikam\.com\):\n {2}Microsoft Graph token: OK\n {2}Microsoft Graph room directory \(Graph places, Place\.Read\.All\) works: no room lists\n {2}getSchedule for lars@fabrikam\.com works/m,
    );
    expect(run.stdout).toContain('OK: all 2 tenants passed (contoso, fabrikam)');
    // Each address asked of its own tenant's Graph, with that tenant's own token.
    expect(contoso.scheduleCalls.map((c) => c.schedules)).toEqual([['adele@contoso.com']]);
    expect(fabrikam.scheduleCalls.map((c) => c.schedules)).toEqual([['lars@fabrikam.com']]);
    expect(contoso.counters.tokensIssued).toBe(1);
    expect(fabrikam.counters.tokensIssued).toBe(1);
    expect(run.stderr).toContain(
      `Microsoft Graph (tenant fabrikam): token from ${emulator.authorityOf(fabrikam)} for client ${fabrikam.clientId} ...`,
    );
    // Google's admin console: one endpoint per domain, with the client Google presents for it.
    expect(run.stdout).toContain(
      `    contoso.de: EWS URL https://relay.example.com/EWS/Exchange.asmx, role account any address in contoso.de (e.g. interop-role@contoso.de), client id ${TEST_CLIENT_ID} and the value of GOOGLE_CLIENT_SECRET\n`,
    );
    expect(run.stdout).toMatch(
      /^ +fabrikam\.com: EWS URL .*client id google-fabrikam and the value of TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET$/m,
    );
    const everything = run.stdout + run.stderr;
    for (const secret of secretsOf()) expect(everything).not.toContain(secret);
  });

  it('fails in one line naming the failing tenant, and still checks the other', async () => {
    const run = await runCli(
      ['config-check', '--address', 'adele@contoso.com', '--address', 'lars@fabrikam.com'],
      { env: tenantsEnv({ TENANT_FABRIKAM_GRAPH_CLIENT_SECRET: 'wrong~fabrikam-secret-000' }) },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('config-check:'))).toEqual([
      expect.stringMatching(/^config-check: tenant fabrikam: no Microsoft Graph token: /),
    ]);
    expect(run.stdout).toContain('getSchedule for adele@contoso.com works');
    expect(run.stdout).toContain('FAILED: 1 of 2 tenants (fabrikam)');
    expect(fabrikam.scheduleCalls).toHaveLength(0);
    expect(run.stdout + run.stderr).not.toContain('wrong~fabrikam-secret-000');
  });

  it("anchors on the tenant's GRAPH_ANCHOR_MAILBOX, and names the tenant's key when scoped out", async () => {
    fabrikam.calendar.set('interop@fabrikam.com', {});
    fabrikam.scopeTo(['interop@fabrikam.com']);
    const outside = await runCli(['config-check', '--address', 'lars@fabrikam.com'], {
      env: tenantsEnv(),
    });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /^config-check: tenant fabrikam: .*lars@fabrikam\.com is outside its scope.*set TENANT_FABRIKAM_GRAPH_ANCHOR_MAILBOX to a mailbox inside the scope/m,
    );
    const anchored = await runCli(['config-check', '--address', 'lars@fabrikam.com'], {
      env: tenantsEnv({ TENANT_FABRIKAM_GRAPH_ANCHOR_MAILBOX: 'interop@fabrikam.com' }),
    });
    expect(anchored.code).toBe(0);
    expect(fabrikam.scheduleCalls.at(-1)).toMatchObject({
      anchor: 'interop@fabrikam.com',
      schedules: ['lars@fabrikam.com'],
    });
    // A tenant without an --address: its token is proven, getSchedule not tried.
    expect(anchored.stdout).toMatch(
      /^Tenant contoso .*\n {2}Microsoft Graph token: OK\n.*\n {2}getSchedule: not tried \(pass --address someone@contoso\.com/m,
    );
  });

  it("warns of one tenant's missing Place.Read.All, naming it, and still passes", async () => {
    fabrikam.roles = ['Calendars.ReadBasic.All'];
    try {
      const run = await runCli(['config-check', '--address', 'lars@fabrikam.com'], {
        env: tenantsEnv(),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /^warning: tenant fabrikam: Microsoft Graph refused the room directory \(403 .*grant the app the Place\.Read\.All application permission/m,
      );
      expect(run.stderr).not.toMatch(/^warning: tenant contoso:/m);
      expect(run.stdout).toContain('getSchedule for lars@fabrikam.com works');
    } finally {
      fabrikam.roles = ['Calendars.ReadBasic.All', 'Place.Read.All'];
    }
  });

  it('fails for an --address of no tenant, naming the domains each tenant serves', async () => {
    const run = await runCli(['config-check', '--address', 'someone@northwind.com'], {
      env: tenantsEnv(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-check: someone@northwind.com: northwind.com is in no tenant\'s DOMAINS (contoso: contoso.com, contoso.de; fabrikam: fabrikam.com): the relay answers it "not found" without asking Graph',
    );
    expect(contoso.scheduleCalls).toHaveLength(0);
    expect(fabrikam.scheduleCalls).toHaveLength(0);
  });

  it("lists every tenant's keys with their sources, secrets named and never shown", async () => {
    const secrets = join(dir, 'tenant-secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'tenant_contoso_graph_client_secret'), `${contoso.clientSecret}\n`);
    const env = tenantsEnv({ SECRETS_DIR: secrets });
    delete env.TENANT_CONTOSO_GRAPH_CLIENT_SECRET;
    delete env.TENANT_CONTOSO_GRAPH_ENDPOINT;
    const run = await runCli(['config-check'], { env });
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
    expect(run.stdout).toMatch(
      /^ +TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET +environment +\[secret, not shown\]$/m,
    );
    const everything = run.stdout + run.stderr;
    for (const secret of secretsOf()) expect(everything).not.toContain(secret);
  });
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
