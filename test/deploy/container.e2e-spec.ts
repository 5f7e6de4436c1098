import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  HELM_INSTALL_TIMEOUT_MS,
  REPO_ROOT,
  ensureHelm,
  parseYamlStream,
  type Json,
} from './support/helm';
import { APP_CONFIG_KEYS, KNOWN_KEYS, documentedGetRoutes } from './support/manifests';

// The container image and docker compose set-up. No Docker engine runs here, so the image is
// not built: these tests check the Dockerfile's instructions, run its HEALTHCHECK command
// against real local servers, run the Vault seeding script against a stand-in `vault` CLI, and
// read docker-compose.yml with Kubernetes' YAML parser (via helm).

const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
/** Instructions with line continuations joined, comments dropped, as Docker reads them. */
const instructions = dockerfile
  .replace(/\\\n/g, '')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([]);
  acc[acc.length - 1]?.push(line);
  return acc;
}, []);
const finalStage = stages[stages.length - 1];
const scratch = mkdtempSync(path.join(tmpdir(), 'calendar-relay-container-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function instruction(stage: string[], keyword: string): string[] {
  return stage.filter((l) => l.toUpperCase().startsWith(`${keyword} `));
}

describe('Dockerfile', () => {
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(instructions.join('\n'))?.[1];

  it("builds on the product's Node line, the image pinned by version and by digest", () => {
    // The runtime CI installs and tests (scripts/install-node.sh) and the image's Node must be
    // the same major line; the digest makes the pull reproducible whatever the tag does later.
    const pinned = /^node:(\d+)\.\d+\.\d+-bookworm-slim@sha256:[a-f0-9]{64}$/;
    expect(nodeImage).toMatch(pinned);
    const imageMajor = pinned.exec(nodeImage!)![1];
    const installNode = readFileSync(path.join(REPO_ROOT, 'scripts/install-node.sh'), 'utf8');
    const productMajor = /^default_version=(\d+)\.\d+\.\d+$/m.exec(installNode)?.[1];
    expect(productMajor).toMatch(/^\d+$/);
    expect(imageMajor).toBe(productMajor);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM \$\{NODE_IMAGE\}( AS [a-z-]+)?$/);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    // The deployment guide names the very image the Dockerfile pins, digest included.
    const guide = readFileSync(path.join(REPO_ROOT, 'docs/deployment.md'), 'utf8');
    expect(guide).toContain(nodeImage!.split('@')[0]);
    expect(guide).toContain(nodeImage!.split('@')[1]);
  });

  it('ships the production dependencies only and the compiled app, not the sources', () => {
    const prodDeps = stages.find((s) => / AS prod-deps$/.test(s[0]))!;
    expect(instruction(prodDeps, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    const copies = instruction(finalStage, 'COPY');
    expect(copies).toContain('COPY --from=prod-deps /src/node_modules ./node_modules');
    expect(copies).toContain('COPY --from=build /src/dist ./dist');
    expect(copies.filter((c) => !c.includes('--from='))).toEqual(['COPY package.json ./']);
  });

  it('starts the built server as `npm run start:prod` does, with node as PID 1', () => {
    const cmd = instruction(finalStage, 'CMD').pop()!;
    const argv = JSON.parse(cmd.slice('CMD '.length)) as string[];
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(argv.join(' ')).toBe(pkg.scripts['start:prod']);
    expect(instruction(finalStage, 'ENTRYPOINT')).toEqual([]);
  });

  it('runs as a numeric non-root user and listens where the chart expects', () => {
    expect(instruction(finalStage, 'USER')).toEqual(['USER 1000:1000']);
    expect(instruction(finalStage, 'EXPOSE')).toEqual(['EXPOSE 8080']);
    expect(instruction(finalStage, 'ENV').join(' ')).toMatch(/PORT=8080/);
  });

  it('sends only what it copies as build context (no .env, node_modules, tests, tools)', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const reincluded = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const copied = stages
      .flatMap((s) => instruction(s, 'COPY'))
      .filter((c) => !c.includes('--from='))
      .flatMap((c) => c.split(/\s+/).slice(1, -1));
    for (const source of copied) expect(reincluded).toContain(source);
    for (const kept of ['.env', 'node_modules', 'test', '.tools', 'dist', '.git']) {
      expect(reincluded).not.toContain(kept);
    }
    expect(ignore).toEqual(expect.arrayContaining(['**/.env', '**/node_modules']));
  });

  const linter = (() => {
    try {
      return require.resolve('dockerfile-utils/bin/dockerfile-utils');
    } catch {
      return undefined;
    }
  })();
  const lintTitle = linter
    ? 'passes dockerfile-utils lint'
    : 'passes dockerfile-utils lint (not run: dockerfile-utils is not installed)';
  (linter ? it : it.skip)(lintTitle, () => {
    const result = spawnSync(process.execPath, [linter!, 'lint', 'Dockerfile'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the image HEALTHCHECK command', () => {
  const healthcheck = instruction(finalStage, 'HEALTHCHECK')[0];
  const argv = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];

  /** Runs exactly the HEALTHCHECK's argv (its `node` being this node) with the given env. */
  function runHealthcheck(env: Record<string, string>): Promise<number | null> {
    expect(argv[0]).toBe('node');
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv.slice(1), {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: 'ignore',
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  async function serve(server: Server, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return (server.address() as AddressInfo).port;
  }
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))),
    );
  });

  function relayLike(status: Record<string, number>): (req: Json, res: Json) => void {
    return (req, res) => {
      res.statusCode = status[req.url] ?? 404;
      res.end('{}');
    };
  }

  it('uses a probe with node against the liveness route (no curl in slim images)', () => {
    expect(healthcheck).toMatch(/^HEALTHCHECK --interval=\d+s --timeout=\d+s --start-period=\d+s/);
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    expect(argv[2]).toContain("'/health/live'");
    expect(documentedGetRoutes()).toContain('/health/live');
  });

  it('is healthy when /health/live answers 200 on PORT, with HOST 0.0.0.0', async () => {
    const server = createHttpServer(relayLike({ '/health/live': 200 }));
    servers.push(server);
    const port = await serve(server);
    expect(await runHealthcheck({ PORT: String(port), HOST: '0.0.0.0' })).toBe(0);
  });

  it('is unhealthy on a 503, on a 404 for the route, and with nothing listening', async () => {
    const failing = createHttpServer(relayLike({ '/health/live': 503 }));
    const elsewhere = createHttpServer(relayLike({ '/health': 200 }));
    servers.push(failing, elsewhere);
    expect(await runHealthcheck({ PORT: String(await serve(failing)) })).toBe(1);
    expect(await runHealthcheck({ PORT: String(await serve(elsewhere)) })).toBe(1);
    const closed = createHttpServer();
    const port = await serve(closed);
    await new Promise((resolve) => closed.close(resolve));
    expect(await runHealthcheck({ PORT: String(port) })).toBe(1);
  });

  it('speaks HTTPS when the relay serves TLS itself (TLS_CERT_FILE/TLS_KEY_FILE)', async () => {
    const key = path.join(scratch, 'tls.key');
    const cert = path.join(scratch, 'tls.crt');
    const openssl = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=relay.example.com',
      ].concat(['-keyout', key, '-out', cert]),
      { encoding: 'utf8' },
    );
    expect(openssl.status).toBe(0);
    const server = createHttpsServer(
      { key: readFileSync(key), cert: readFileSync(cert) },
      relayLike({ '/health/live': 200 }),
    );
    servers.push(server);
    const port = String(await serve(server));
    expect(await runHealthcheck({ PORT: port, TLS_CERT_FILE: cert, TLS_KEY_FILE: key })).toBe(0);
    // Plain HTTP against the TLS listener fails: the TLS switch is what made it pass.
    expect(await runHealthcheck({ PORT: port })).toBe(1);
  });
});

describe('deploy/docker/vault-init.sh (seeds the compose Vault)', () => {
  const script = path.join(REPO_ROOT, 'deploy/docker/vault-init.sh');
  const fakeBin = path.join(scratch, 'bin');
  const log = path.join(scratch, 'vault-calls.jsonl');

  beforeAll(() => {
    // A stand-in `vault` CLI that records each call (argv and stdin) as a JSON line; `token
    // lookup` fails, as for a token that does not exist yet.
    spawnSync('mkdir', ['-p', fakeBin]);
    writeFileSync(
      path.join(fakeBin, 'vault'),
      `#!${process.execPath}\n` +
        `const fs = require('node:fs');\n` +
        `const stdin = process.argv[2] === 'policy' ? fs.readFileSync(0, 'utf8') : '';\n` +
        `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), stdin }) + '\\n');\n` +
        `process.exit(process.argv[2] === 'token' && process.argv[3] === 'lookup' ? 2 : 0);\n`,
    );
    chmodSync(path.join(fakeBin, 'vault'), 0o755);
  });

  function runInit(env: Record<string, string>): {
    status: number | null;
    stderr: string;
    calls: { argv: string[]; stdin: string }[];
  } {
    rmSync(log, { force: true });
    const result = spawnSync('sh', [script], {
      encoding: 'utf8',
      env: {
        PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}`,
        VAULT_KV_MOUNT: 'secret',
        VAULT_SECRET_PATH: 'calendar-relay',
        RELAY_VAULT_TOKEN: 'relay-dev-token',
        ...env,
      },
    });
    let calls: { argv: string[]; stdin: string }[];
    try {
      calls = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { argv: string[]; stdin: string });
    } catch {
      calls = [];
    }
    return { status: result.status, stderr: result.stderr, calls };
  }

  const tenant = {
    GOOGLE_CLIENT_ID: 'google-interop',
    GOOGLE_CLIENT_SECRET: 'g-secret with spaces',
    GRAPH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    GRAPH_CLIENT_SECRET: 'graph~secret',
    GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  };

  it('writes the secret under the lower-case names the relay reads, and only those set', () => {
    const { status, calls } = runInit({ ...tenant, TOKEN_SIGNING_KEY: 'k'.repeat(40) });
    expect(status).toBe(0);
    const put = calls.find((c) => c.argv[0] === 'kv' && c.argv[1] === 'put')!;
    expect(put.argv.slice(0, 4)).toEqual(['kv', 'put', '-mount=secret', 'calendar-relay']);
    const pairs = Object.fromEntries(
      put.argv.slice(4).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
    );
    expect(pairs).toEqual({
      google_client_id: 'google-interop',
      google_client_secret: 'g-secret with spaces',
      graph_client_id: tenant.GRAPH_CLIENT_ID,
      graph_client_secret: 'graph~secret',
      graph_authority: tenant.GRAPH_AUTHORITY,
      token_signing_key: 'k'.repeat(40),
    });
    for (const key of Object.keys(pairs)) expect(APP_CONFIG_KEYS).toContain(key.toUpperCase());
  });

  it('gives the relay a token whose policy reads that one secret and nothing else', () => {
    const { calls } = runInit(tenant);
    const policy = calls.find((c) => c.argv[0] === 'policy')!;
    expect(policy.argv).toEqual(['policy', 'write', 'calendar-relay', '-']);
    const paths = [...policy.stdin.matchAll(/path "([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toEqual(['secret/data/calendar-relay']);
    expect(policy.stdin).toMatch(/capabilities = \["read"\]/);
    const create = calls.find((c) => c.argv[0] === 'token' && c.argv[1] === 'create')!;
    expect(create.argv).toEqual(
      expect.arrayContaining(['-id=relay-dev-token', '-policy=calendar-relay']),
    );
  });

  it('refuses to seed without a tenant, pointing at the demo profile', () => {
    const { status, stderr, calls } = runInit({ GOOGLE_CLIENT_SECRET: 'x' });
    expect(status).toBe(1);
    expect(stderr).toContain('GRAPH_CLIENT_ID GRAPH_CLIENT_SECRET GRAPH_AUTHORITY');
    expect(stderr).toContain('--profile demo');
    expect(calls).toEqual([]);
  });

  it("refuses a value vault kv put would read as a file ('@...')", () => {
    const { status, stderr, calls } = runInit({ ...tenant, GRAPH_CLIENT_SECRET: '@/etc/passwd' });
    expect(status).toBe(1);
    expect(stderr).toContain('GRAPH_CLIENT_SECRET');
    expect(calls).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  let compose: Json;
  beforeAll(() => {
    ensureHelm();
    const docs = parseYamlStream(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
    expect(docs).toHaveLength(1);
    compose = docs[0].object;
  }, HELM_INSTALL_TIMEOUT_MS);

  /** A compose value with its `${VAR:-default}` interpolations resolved to the defaults. */
  const withDefaults = (v: unknown) => String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries<Json>(compose.services)) {
      if (service.build) continue;
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[a-z0-9./-]+:\d+\.\d+\.\d+$/),
      });
    }
  });

  it('runs the relay read-only with a /tmp tmpfs, no capabilities, time to shut down', () => {
    for (const name of ['relay', 'relay-demo']) {
      const s = compose.services[name];
      expect(s).toMatchObject({ build: '.', read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'] });
      const drainMs = Number(s.environment.SHUTDOWN_DRAIN_MS);
      const graceMs = Number(/^(\d+)s$/.exec(s.stop_grace_period)![1]) * 1000;
      expect(drainMs + 8000).toBeLessThan(graceMs);
    }
  });

  it('vault profile: Vault dev server, a one-shot seeding, then the relay configured by VAULT_*', () => {
    const { vault, 'vault-init': init, relay } = compose.services;
    for (const s of [vault, init, relay]) expect(s.profiles).toEqual(['vault']);
    expect(init.depends_on).toEqual({ vault: { condition: 'service_healthy' } });
    expect(relay.depends_on).toEqual({
      'vault-init': { condition: 'service_completed_successfully' },
    });
    expect(init.volumes).toEqual(['./deploy/docker/vault-init.sh:/vault-init.sh:ro']);
    expect(init.entrypoint).toEqual(['/bin/sh', '/vault-init.sh']);

    const env = relay.environment;
    expect(Object.keys(env).filter((k) => !KNOWN_KEYS.has(k))).toEqual([]);
    expect(env).toMatchObject({ VAULT_ADDR: 'http://vault:8200', VAULT_AUTH: 'token' });
    // The relay reads where the init container wrote, with the token it created (not root).
    expect(env.VAULT_KV_MOUNT).toBe(init.environment.VAULT_KV_MOUNT);
    expect(env.VAULT_SECRET_PATH).toBe(init.environment.VAULT_SECRET_PATH);
    expect(withDefaults(env.VAULT_TOKEN)).toBe(withDefaults(init.environment.RELAY_VAULT_TOKEN));
    expect(withDefaults(env.VAULT_TOKEN)).not.toBe(withDefaults(init.environment.VAULT_TOKEN));
    // Secrets reach Vault only, never the relay's environment.
    for (const key of ['GOOGLE_CLIENT_SECRET', 'GRAPH_CLIENT_SECRET', 'GRAPH_CLIENT_ID']) {
      expect(env[key]).toBeUndefined();
      expect(init.environment[key]).toBeDefined();
    }
  });

  it('demo profile: the relay alone, no tenant and no Vault', () => {
    const demo = compose.services['relay-demo'];
    expect(demo.profiles).toEqual(['demo']);
    expect(demo.depends_on).toBeUndefined();
    const env = demo.environment;
    expect(Object.keys(env).filter((k) => !KNOWN_KEYS.has(k))).toEqual([]);
    expect(Object.keys(env).filter((k) => /^(GRAPH_|VAULT_)/.test(k))).toEqual([]);
    expect(withDefaults(env.GOOGLE_CLIENT_ID)).not.toBe('');
    expect(withDefaults(env.GOOGLE_CLIENT_SECRET)).not.toBe('');
    expect(demo.ports).toEqual(['${RELAY_BIND:-127.0.0.1}:${RELAY_PORT:-8080}:8080']);
  });
});
