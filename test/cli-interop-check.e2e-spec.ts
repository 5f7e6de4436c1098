import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { removeCliFiles, runCli } from './cli-process';
import { freePort } from './support/relay-process';
import { baseUrlOf, startRelay, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './support/relay-app';
import { readFileSync } from 'node:fs';

/**
 * `calendar-relay interop-check` against a listening relay: it plays Google (token, then
 * GetUserAvailability in Google's shape) and tells the admin, per mailbox and in Google's words,
 * what Google would see. Run as a child process, as an admin runs it.
 */

const CREDENTIALS = ['--client-id', TEST_CLIENT_ID, '--client-secret', TEST_CLIENT_SECRET];

afterAll(() => removeCliFiles());

describe('interop-check against the demo calendars', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await startRelay({}, { listen: true });
    url = baseUrlOf(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('exits 0 with a table of every mailbox when all answer NoError, with progress per domain', async () => {
    const run = await runCli([
      'interop-check',
      '--url',
      url,
      ...CREDENTIALS,
      'adele.vance@contoso.com',
      'megan.bowen@contoso.com',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^MAILBOX +STATUS +EVENTS +ERROR$/m);
    expect(run.stdout).toMatch(/^adele\.vance@contoso\.com +NoError +\d+$/m);
    expect(run.stdout).toMatch(/^megan\.bowen@contoso\.com +NoError +\d+$/m);
    expect(run.stdout).toContain('OK: all 2 mailboxes answered NoError');
    expect(run.stderr).toContain(`token: POST ${url}/token`);
    expect(run.stderr).toMatch(/\[1\/1\] contoso\.com: GetUserAvailability for 2 mailboxes/);
    // A plain-HTTP URL is fine locally, but Google would not take it.
    expect(run.stderr).toContain('Google shows "EWS communication error"');
    expect(run.stdout + run.stderr).not.toContain(TEST_CLIENT_SECRET);
  });

  it('says "Invalid attendee" for an unknown address and exits 1, on the EWS path given', async () => {
    const run = await runCli([
      'interop-check',
      '--url',
      url,
      ...CREDENTIALS,
      '--ews-path',
      '/EWS/Exchange.asmx',
      'adele.vance@contoso.com',
      'no.such.person@contoso.com',
      'someone@fabrikam.com',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^no\.such\.person@contoso\.com +ErrorMailRecipientNotFound +0 +Unable to resolve/m,
    );
    expect(run.stdout).toContain('no.such.person@contoso.com: Google shows "Invalid attendee"');
    expect(run.stdout).toMatch(/^adele\.vance@contoso\.com +NoError/m);
    expect(run.stderr).toMatch(/\[2\/2\] fabrikam\.com: GetUserAvailability for 1 mailbox,/);
    expect(run.stderr).toContain(`${url}/EWS/Exchange.asmx`);
    expect(run.stdout).toContain('FAILED: 2 of 3 mailboxes not answered with NoError');
  });

  it('tells a wrong client secret (401 invalid_client) and asks nothing else', async () => {
    const run = await runCli([
      'interop-check',
      '--url',
      url,
      '--client-id',
      TEST_CLIENT_ID,
      '--client-secret',
      'not-the-secret',
      'adele.vance@contoso.com',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Google shows "Authentication error (invalid_client)"');
    expect(run.stdout).toMatch(/^adele\.vance@contoso\.com +not asked/m);
    expect(run.stderr).not.toContain('GetUserAvailability');
  });

  it('exits 2 with the reason on a usage mistake', async () => {
    const run = await runCli(['interop-check', '--url', url, 'adele.vance@contoso.com']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--client-id is required');
  });
});

describe('interop-check against a relay whose IP_ALLOWLIST leaves this machine out', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startRelay({ IP_ALLOWLIST: '10.0.0.0/8' }, { listen: true });
  });
  afterAll(async () => {
    await app.close();
  });

  it('gets its token, then says the 403 comes from the allowlist', async () => {
    const run = await runCli([
      'interop-check',
      '--url',
      baseUrlOf(app),
      ...CREDENTIALS,
      'adele.vance@contoso.com',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^adele\.vance@contoso\.com +HTTP 403/m);
    expect(run.stdout).toContain('Google shows "EWS response error (403)": IP_ALLOWLIST refused');
  });
});

describe('interop-check and the transport', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'calendar-relay-cli-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says "Connection error" when nothing listens', async () => {
    const port = await freePort();
    const run = await runCli([
      'interop-check',
      '--url',
      `http://127.0.0.1:${port}`,
      ...CREDENTIALS,
      'a@contoso.com',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Google shows "Connection error": nothing accepts connections at 127.0.0.1',
    );
  });

  describe('behind a certificate issued for another name', () => {
    let server: Server;
    let url: string;
    let certFile: string;

    beforeAll(async () => {
      certFile = join(dir, 'wrong-name.pem');
      const keyFile = join(dir, 'wrong-name.key');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=relay.wrong.example',
          '-addext',
          'subjectAltName=DNS:relay.wrong.example',
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ],
        { stdio: 'ignore' },
      );
      server = createServer(
        { cert: readFileSync(certFile), key: readFileSync(keyFile) },
        (_req, res) => res.end('{}'),
      );
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((done) => server.close(done));
    });

    it('reports a self-signed certificate', async () => {
      const run = await runCli(['interop-check', '--url', url, ...CREDENTIALS, 'a@contoso.com']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('Google shows "Connection error (TLS)"');
      expect(run.stdout).toContain('self-signed certificate');
    });

    it('reports the hostname mismatch once the certificate is trusted (--insecure-ca)', async () => {
      const run = await runCli([
        'interop-check',
        '--url',
        url,
        ...CREDENTIALS,
        '--insecure-ca',
        certFile,
        'a@contoso.com',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'is not issued for the host name "127.0.0.1" (hostname mismatch)',
      );
    });
  });
});

describe('interop-check against a relay answering from Microsoft Graph', () => {
  let emulator: GraphEmulator;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    app = await startRelay(
      { ...emulator.relayEnv(), ALLOWED_DOMAINS: 'contoso.com', IP_ALLOWLIST: '127.0.0.0/8' },
      { listen: true },
    );
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it("counts each mailbox's events of today and tells the unknown one apart", async () => {
    const today = new Date();
    const at = (h: number) =>
      new Date(
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), h),
      ).toISOString();
    emulator.calendar.set('adele@contoso.com', {
      events: [
        { start: at(9), end: at(10), status: 'busy' },
        { start: at(13), end: at(14), status: 'tentative' },
      ],
    });
    const run = await runCli([
      'interop-check',
      '--url',
      baseUrlOf(app),
      ...CREDENTIALS,
      'adele@contoso.com',
      'ghost@contoso.com',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^adele@contoso\.com +NoError +2$/m);
    expect(run.stdout).toMatch(/^ghost@contoso\.com +ErrorMailRecipientNotFound +0/m);
    expect(emulator.counters.getSchedule).toBeGreaterThanOrEqual(1);
  });

  it('explains a SOAP fault when Graph refuses the relay', async () => {
    emulator.faults.add('getSchedule', { kind: 'status', status: 403 }, { times: Infinity });
    try {
      const run = await runCli([
        'interop-check',
        '--url',
        baseUrlOf(app),
        ...CREDENTIALS,
        'megan@contoso.com',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^megan@contoso\.com +fault/m);
      expect(run.stdout).toContain(
        'Google shows "EWS response error": SOAP fault ErrorInternalServerError',
      );
      expect(run.stdout).toContain('Calendars.ReadBasic.All');
    } finally {
      emulator.faults.clear();
    }
  });
});

describe('interop-check --tenant against a relay of two emulated tenants (TENANTS)', () => {
  let emulator: GraphEmulator;
  let contoso: EmulatedTenant;
  let fabrikam: EmulatedTenant;
  let app: NestFastifyApplication;
  let url: string;
  /** The relay's configuration, which the CLI reads as the relay does (here: its environment). */
  let relayEnv: Record<string, string>;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    contoso = emulator.primary;
    fabrikam = emulator.addTenant({
      tenant: '9a8b7c6d-0000-4000-8000-fabrikam0001',
      clientId: '99999999-8888-7777-6666-555555555555',
      clientSecret: 'fabrikam~secret.fedcba9876543210',
    });
    relayEnv = {
      GOOGLE_CLIENT_ID: TEST_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      TENANT_FABRIKAM_GOOGLE_CLIENT_ID: 'google-fabrikam',
      TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'fabrikam-google-secret-2222',
      ...emulator.relayEnvOf(contoso, 'contoso'),
      ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
      IP_ALLOWLIST: '127.0.0.0/8',
    };
    app = await startRelay(relayEnv, { listen: true });
    url = baseUrlOf(app);
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.resetRecords();
    fabrikam.resetRecords();
    contoso.calendar.set('adele@contoso.com', {}).set('megan@contoso.de', {});
    fabrikam.calendar.set('lars@fabrikam.com', {});
  });

  it("plays each of the tenant's endpoints with the relay's client, one call per domain", async () => {
    const run = await runCli(
      [
        'interop-check',
        '--url',
        url,
        '--tenant',
        'contoso',
        'adele@contoso.com',
        'megan@contoso.de',
      ],
      { env: relayEnv },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `tenant contoso (contoso.com, contoso.de): Google presents the relay's client ${TEST_CLIENT_ID} (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)`,
    );
    expect(run.stderr).toContain(`token: POST ${url}/token (client_id ${TEST_CLIENT_ID})`);
    expect(run.stderr).toMatch(/\[1\/2\] contoso\.com: GetUserAvailability for 1 mailbox/);
    expect(run.stderr).toMatch(/\[2\/2\] contoso\.de: GetUserAvailability for 1 mailbox/);
    expect(run.stdout).toMatch(/^adele@contoso\.com +NoError +0$/m);
    expect(run.stdout).toMatch(/^megan@contoso\.de +NoError +0$/m);
    // Asked of contoso's Graph only.
    expect(contoso.scheduleCalls.flatMap((c) => c.schedules).sort()).toEqual([
      'adele@contoso.com',
      'megan@contoso.de',
    ]);
    expect(fabrikam.scheduleCalls).toHaveLength(0);
    expect(run.stdout + run.stderr).not.toContain(TEST_CLIENT_SECRET);
  });

  it("plays a tenant's own endpoint with the tenant's own Google client", async () => {
    const run = await runCli(
      ['interop-check', '--url', url, '--tenant', 'fabrikam', 'lars@fabrikam.com'],
      { env: relayEnv },
    );
    expect(run.stderr).toContain(`token: POST ${url}/token (client_id google-fabrikam)`);
    expect(run.stdout).toMatch(/^lars@fabrikam\.com +NoError +0$/m);
    expect(run.code).toBe(0);
    expect(fabrikam.scheduleCalls.flatMap((c) => c.schedules)).toEqual(['lars@fabrikam.com']);
    expect(contoso.scheduleCalls).toHaveLength(0);
    expect(run.stdout + run.stderr).not.toContain('fabrikam-google-secret-2222');
  });

  it("says in Google's words which of the tenant's keys to check", async () => {
    const unknown = await runCli(
      ['interop-check', '--url', url, '--tenant', 'contoso', 'ghost@contoso.com'],
      { env: relayEnv },
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(
      'ghost@contoso.com: Google shows "Invalid attendee": the address is unknown to Microsoft 365, or its domain is not in TENANT_CONTOSO_DOMAINS',
    );
    // The tenant's own Google client, as configured where the CLI runs: the relay knows
    // another secret for it.
    const wrong = await runCli(
      ['interop-check', '--url', url, '--tenant', 'fabrikam', 'lars@fabrikam.com'],
      { env: { ...relayEnv, TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'not-the-fabrikam-secret' } },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      "tenant fabrikam (fabrikam.com): Google presents the tenant's own client google-fabrikam (TENANT_FABRIKAM_GOOGLE_CLIENT_ID, TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET)",
    );
    expect(wrong.stderr).toContain(`token: POST ${url}/token (client_id google-fabrikam)`);
    expect(wrong.stdout).toMatch(
      /Google shows "Authentication error \(invalid_client\)": the relay refused the client id or secret .*: the admin console's Application \(client\) ID and Client secret must be the relay's TENANT_FABRIKAM_GOOGLE_CLIENT_ID and TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET$/m,
    );
    expect(wrong.stdout).toMatch(/^lars@fabrikam\.com +not asked/m);
    expect(wrong.stdout + wrong.stderr).not.toMatch(
      /not-the-fabrikam-secret|fabrikam-google-secret/,
    );
  });

  it('refuses, before any call, an address of another tenant, an unknown tenant, or credentials given too', async () => {
    const cases: [string[], string][] = [
      [
        ['--tenant', 'fabrikam', 'adele@contoso.com'],
        "adele@contoso.com is not in tenant fabrikam's domains (fabrikam.com): Google sends a lookup to the endpoint of the address's own domain",
      ],
      [
        ['--tenant', 'northwind', 'a@northwind.com'],
        'TENANTS (contoso, fabrikam) names no tenant northwind',
      ],
      [
        ['--tenant', 'contoso', '--client-id', 'x', 'adele@contoso.com'],
        "--tenant takes the client id and secret from the relay's configuration; leave out --client-id and --client-secret",
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['interop-check', '--url', url, ...args], { env: relayEnv });
      expect({ args, code: run.code, stderr: run.stderr.trim() }).toEqual({
        args,
        code: 2,
        stderr: `calendar-relay interop-check: ${message}`,
      });
    }
    expect(contoso.counters.getSchedule + fabrikam.counters.getSchedule).toBe(0);
  });

  it('fails in one line when the configuration it reads would not start the relay', async () => {
    const broken = { ...relayEnv };
    delete broken.TENANT_FABRIKAM_DOMAINS;
    const run = await runCli(
      ['interop-check', '--url', url, '--tenant', 'contoso', 'adele@contoso.com'],
      { env: broken },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'interop-check: the relay would refuse to start: Invalid configuration: TENANT_FABRIKAM_DOMAINS is required (every tenant in TENANTS needs TENANT_<NAME>_DOMAINS, TENANT_<NAME>_GRAPH_CLIENT_ID, TENANT_<NAME>_GRAPH_CLIENT_SECRET, TENANT_<NAME>_GRAPH_AUTHORITY)',
    );
  });
});
