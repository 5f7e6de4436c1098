import { ConfigurationError } from '@app/config';
import {
  freePort,
  removeRelayProcessFiles,
  spawnRelaySource,
  within,
} from './support/relay-process';
import { startRelay, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './support/relay-app';

/**
 * Start-up as an operator sees it: the real main.ts in its own process. A configuration mistake
 * is one line naming the key, then exit 1, and nothing listening; a good configuration serves
 * and leaves promptly on SIGTERM.
 */

const BASE_ENV = { GOOGLE_CLIENT_ID: TEST_CLIENT_ID, LOG_LEVEL: 'info' };

describe('start-up', () => {
  afterAll(() => removeRelayProcessFiles());

  it.each([
    ['missing', BASE_ENV],
    ['empty', { ...BASE_ENV, GOOGLE_CLIENT_SECRET: '' }],
  ])('is refused with one line naming GOOGLE_CLIENT_SECRET when it is %s', async (_case, env) => {
    const relay = spawnRelaySource({ ...env, PORT: String(await freePort()) });
    const { code } = await within(relay.exited, 30_000, 'the relay to exit');
    expect(code).toBe(1);
    const output = (relay.stdout() + relay.stderr()).trim();
    // One line: no stack trace, no Nest banner, nothing an operator must dig through.
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(/^calendar-relay: refusing to start: .*GOOGLE_CLIENT_SECRET/);
  });

  it('is refused with one line naming a malformed IP_ALLOWLIST and the item', async () => {
    const relay = spawnRelaySource({
      ...BASE_ENV,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      IP_ALLOWLIST: 'google, 10.0.0.0/33',
      PORT: String(await freePort()),
    });
    const { code } = await within(relay.exited, 30_000, 'the relay to exit');
    expect(code).toBe(1);
    expect((relay.stdout() + relay.stderr()).trim()).toBe(
      'calendar-relay: refusing to start: Invalid configuration: IP_ALLOWLIST must be a comma-separated list of CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32, google); "10.0.0.0/33" is not one',
    );
  });

  it('is refused with one line naming a domain that two tenants claim', async () => {
    const tenant = (name: string, domains: string) => ({
      [`TENANT_${name}_DOMAINS`]: domains,
      [`TENANT_${name}_GRAPH_CLIENT_ID`]: `${name.toLowerCase()}-app`,
      [`TENANT_${name}_GRAPH_CLIENT_SECRET`]: `${name.toLowerCase()}-graph-secret-0123`,
      [`TENANT_${name}_GRAPH_AUTHORITY`]: 'https://login.microsoftonline.com/common',
    });
    const relay = spawnRelaySource({
      ...BASE_ENV,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      TENANTS: 'contoso,fabrikam',
      ...tenant('CONTOSO', 'contoso.com'),
      ...tenant('FABRIKAM', 'fabrikam.com,Contoso.com'),
      PORT: String(await freePort()),
    });
    const { code } = await within(relay.exited, 30_000, 'the relay to exit');
    expect(code).toBe(1);
    const output = (relay.stdout() + relay.stderr()).trim();
    expect(output).toBe(
      'calendar-relay: refusing to start: Invalid configuration: contoso.com is in TENANT_CONTOSO_DOMAINS and TENANT_FABRIKAM_DOMAINS (a domain belongs to one tenant only)',
    );
    expect(output).not.toContain('graph-secret');
  });

  it('is refused in-process too, with the ConfigurationError naming the key', async () => {
    const refusal = await startRelay({ GOOGLE_CLIENT_SECRET: '' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigurationError);
    expect((refusal as ConfigurationError).message).toContain('GOOGLE_CLIENT_SECRET');
    expect((refusal as ConfigurationError).message).not.toContain(TEST_CLIENT_SECRET);
  });

  it('serves tokens and probes, then exits promptly on SIGTERM', async () => {
    const port = await freePort();
    const relay = spawnRelaySource({
      ...BASE_ENV,
      GOOGLE_CLIENT_SECRET: TEST_CLIENT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      let ready: Response | undefined;
      while (ready?.status !== 200) {
        if (Date.now() > deadline) throw new Error(`relay did not start: ${relay.stderr()}`);
        ready = await fetch(`${base}/health/ready`).catch(() => undefined);
        if (ready === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      const token = await fetch(`${base}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET }),
      });
      expect(token.status).toBe(200);

      relay.child.kill('SIGTERM');
      const exit = await within(relay.exited, 10_000, 'the relay to exit after SIGTERM');
      expect(exit.signal ?? exit.code).not.toBeNull();
      // JSON log lines; the secret never among them.
      expect(relay.stdout()).toContain('"token issued"');
      expect(relay.stdout() + relay.stderr()).not.toContain(TEST_CLIENT_SECRET);
    } finally {
      relay.child.kill('SIGKILL');
    }
  });
});
