import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest } from './support/ews-request-bodies';
import { OpenBaoDevServer, relayPolicyFromDocs } from './support/openbao';
import { requestToken, startRelay } from './support/relay-app';
import { faultOf, mailboxesOf } from './support/soap';
import { eventuallyPasses } from './support/eventually-passes';

/**
 * The whole relay configured through Vault, as an operator runs it: every credential in one KV
 * v2 secret of a real OpenBao dev server, the Graph side on the local Entra/Graph emulator.
 * What Google and the operator notice: tokens and lookups work from Vault's secrets, rotations
 * in Vault take effect without a restart (a refused Graph secret makes the relay re-read Vault at
 * once), and a Vault outage later is reported by readiness while lookups go on.
 */

const MOUNT = 'secret';
const PATH = 'calendar-relay';
const RELAY_TOKEN = 'relay-token-whole-app';
const GOOGLE_ID = 'google-interop-vault';
const GOOGLE_SECRET = 'vault-google-secret-AAAAAAAAAAAAAAAA';
const ADELE = 'adele@contoso.com';

let bao: OpenBaoDevServer;
let emulator: GraphEmulator;

function secretFor(googleSecret = GOOGLE_SECRET): Record<string, string> {
  return {
    google_client_id: GOOGLE_ID,
    google_client_secret: googleSecret,
    graph_client_id: emulator.clientId,
    graph_client_secret: emulator.clientSecret,
    graph_authority: emulator.authority,
  };
}

function kvPut(values: Record<string, string>): Promise<void> {
  return bao.kvPut(MOUNT, PATH, values);
}

async function seed(): Promise<void> {
  await bao.bao(['policy', 'write', 'calendar-relay', '-'], relayPolicyFromDocs());
  await kvPut(secretFor());
  await bao.bao([
    'token',
    'create',
    `-id=${RELAY_TOKEN}`,
    '-policy=calendar-relay',
    '-period=1h',
    '-orphan',
  ]);
}

function vaultEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    // Only what is not secret comes from the environment.
    GOOGLE_CLIENT_ID: '',
    GOOGLE_CLIENT_SECRET: '',
    GRAPH_ENDPOINT: emulator.origin,
    CACHE_TTL_SECONDS: '0',
    VAULT_ADDR: bao.address,
    VAULT_AUTH: 'token',
    VAULT_TOKEN: RELAY_TOKEN,
    VAULT_KV_MOUNT: MOUNT,
    VAULT_SECRET_PATH: PATH,
    VAULT_REFRESH_SECONDS: '0',
    VAULT_STARTUP_ATTEMPTS: '2',
    VAULT_STARTUP_BACKOFF_MS: '100',
    VAULT_REQUEST_TIMEOUT_MS: '1000',
    ...extra,
  };
}

async function tokenFor(app: NestFastifyApplication, clientSecret: string): Promise<string> {
  const res = await requestToken(app, { clientId: GOOGLE_ID, clientSecret });
  expect(res.statusCode).toBe(200);
  const { access_token: token } = res.json<{ access_token: string }>();
  return token;
}

function lookup(app: NestFastifyApplication, token: string) {
  return app.inject({
    method: 'POST',
    url: '/EWS/Exchange.asmx',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
    payload: availabilityRequest([ADELE]),
  });
}

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  emulator.calendar.set(ADELE, {
    events: [{ start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' }],
  });
  bao = await OpenBaoDevServer.start();
  await seed();
});
afterAll(async () => {
  await bao?.dispose();
  await emulator?.close();
});

describe('the relay configured from Vault', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startRelay(vaultEnv());
  });
  afterAll(async () => {
    await app.close();
  });

  it("issues tokens for Vault's Google credentials and answers from Graph with Vault's Graph credentials", async () => {
    const token = await tokenFor(app, GOOGLE_SECRET);
    const res = await lookup(app, token);
    expect(res.statusCode).toBe(200);
    const [adele] = await mailboxesOf(res.body);
    expect(adele.responseCode).toBe('NoError');
    expect(adele.events.map((e) => e.start)).toEqual(['2024-03-11T17:00:00']);
    expect(emulator.counters.tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it('shows the Vault source as healthy in /health/ready', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      details: {
        secrets: {
          status: 'up',
          sources: expect.arrayContaining([
            expect.objectContaining({ name: 'vault', healthy: true }),
          ]),
        },
      },
    });
  });

  it('picks up a Graph secret rotated in Entra and Vault at the first refusal, without a restart or a periodic re-read', async () => {
    const token = await tokenFor(app, GOOGLE_SECRET);
    const oldSecret = emulator.clientSecret;
    try {
      // The operator rotates the secret in Entra (old tokens die with it) and in Vault.
      emulator.clientSecret = 'rotated~graph.secret.0123456789abcdef';
      emulator.revokeTokens();
      await kvPut(secretFor());

      // The lookup that meets the refusal fails as a server fault (never "not found")...
      const refused = await lookup(app, token);
      expect(refused.statusCode).toBe(500);
      expect((await faultOf(refused.body)).responseCode).toBe('ErrorInternalServerError');
      // ...and makes the relay re-read Vault (VAULT_REFRESH_SECONDS is 0: no periodic read).
      await eventuallyPasses(async () => {
        const res = await lookup(app, token);
        expect(res.statusCode).toBe(200);
        expect((await mailboxesOf(res.body))[0].responseCode).toBe('NoError');
      });
    } finally {
      emulator.clientSecret = oldSecret;
      emulator.revokeTokens();
      await kvPut(secretFor());
    }
  });
});

describe('Google client secret rotation in Vault', () => {
  it('takes the new secret without a restart while the previous one keeps working', async () => {
    const app = await startRelay(vaultEnv({ VAULT_REFRESH_SECONDS: '1' }));
    try {
      const before = await tokenFor(app, GOOGLE_SECRET);
      const rotated = 'vault-google-secret-ROTATED-BBBBBBBBBB';
      await kvPut(secretFor(rotated));

      await eventuallyPasses(async () => {
        expect(
          (await requestToken(app, { clientId: GOOGLE_ID, clientSecret: rotated })).statusCode,
        ).toBe(200);
      });
      // Google still holds the old secret until the admin console is updated: the grace period.
      expect(
        (await requestToken(app, { clientId: GOOGLE_ID, clientSecret: GOOGLE_SECRET })).statusCode,
      ).toBe(200);
      expect(
        (await requestToken(app, { clientId: GOOGLE_ID, clientSecret: 'guess' })).statusCode,
      ).toBe(401);
      // A token issued before the rotation still opens the EWS endpoint.
      expect((await lookup(app, before)).statusCode).toBe(200);
    } finally {
      await app.close();
      await kvPut(secretFor());
    }
  });
});

describe('Vault unreachable after start-up', () => {
  it('keeps answering with the last good secrets and says so in readiness', async () => {
    const app = await startRelay(vaultEnv({ VAULT_REFRESH_SECONDS: '1' }));
    try {
      await bao.stop();
      try {
        await eventuallyPasses(async () => {
          const ready = await app.inject({ method: 'GET', url: '/health/ready' });
          expect(ready.json()).toMatchObject({
            details: {
              secrets: {
                serving: 'the last good secrets',
                sources: expect.arrayContaining([
                  expect.objectContaining({
                    name: 'vault',
                    healthy: false,
                    failingSince: expect.any(String),
                  }),
                ]),
              },
            },
          });
          // Reported, not fatal: every replica reads the same Vault (see SECURITY/README).
          expect(ready.statusCode).toBe(200);
        });
        const token = await tokenFor(app, GOOGLE_SECRET);
        const res = await lookup(app, token);
        expect(res.statusCode).toBe(200);
        expect((await mailboxesOf(res.body))[0].responseCode).toBe('NoError');
      } finally {
        await bao.start();
        await seed();
      }
    } finally {
      await app.close();
    }
  });

  it('fails readiness instead when READINESS_REQUIRES_SECRET_SOURCE=true', async () => {
    const app = await startRelay(
      vaultEnv({ VAULT_REFRESH_SECONDS: '1', READINESS_REQUIRES_SECRET_SOURCE: 'true' }),
    );
    try {
      await bao.stop();
      try {
        await eventuallyPasses(async () => {
          const ready = await app.inject({ method: 'GET', url: '/health/ready' });
          expect(ready.statusCode).toBe(503);
          expect(ready.json()).toMatchObject({ error: { secrets: { status: 'down' } } });
        });
        const check = await app.inject({ method: 'GET', url: '/health-check' });
        expect(check.statusCode).toBe(503);
      } finally {
        await bao.start();
        await seed();
      }
    } finally {
      await app.close();
    }
  });
});
