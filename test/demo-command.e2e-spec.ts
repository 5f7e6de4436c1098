import { spawn, type ChildProcess, execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, within } from './support/relay-process';
import { mailboxesOf } from './support/soap';

/**
 * The README's first command, `npm run demo`, as a newcomer runs it: it builds the relay when
 * needed, starts it on the demo calendars, and prints two curl commands; pasted into a shell,
 * they must give a token and a real free/busy answer.
 */

const ROOT = join(__dirname, '..');

function runShell(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script}\nfailed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The command printed on the line after `heading`, without its indentation. */
function commandAfter(banner: string, heading: string): string {
  const lines = banner.split('\n');
  const at = lines.findIndex((l) => l.startsWith(heading));
  if (at < 0) throw new Error(`"${heading}" not printed:\n${banner}`);
  return lines[at + 1].trim();
}

describe('npm run demo', () => {
  let demo: ChildProcess | undefined;
  let stdout = '';
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Only what a newcomer's shell would have: no relay settings from the developer's env.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(GOOGLE_|GRAPH_|VAULT_|SECRETS_|PORT$|HOST$|EVENT_DETAILS$|LOG_LEVEL$)/.test(k),
      ),
    );
    demo = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      // info: the relay's audit line ("availability lookup") names the tenants asked.
      env: { ...env, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    demo.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    demo.stderr!.resume();
    // The first run builds the relay (tens of seconds), then it starts.
    await within(
      (async () => {
        for (;;) {
          const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
          if (ready?.status === 200) return;
          if (demo.exitCode !== null) throw new Error(`demo exited ${demo.exitCode}:\n${stdout}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      })(),
      150_000,
      'the demo relay to become ready',
    );
  }, 160_000);

  afterAll(async () => {
    if (demo?.pid !== undefined && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo!.once('exit', resolve));
      process.kill(-demo.pid, 'SIGTERM');
      await within(exited, 10_000, 'the demo to stop on SIGTERM');
    }
  });

  it('prints the demo credentials and URLs', () => {
    expect(stdout).toContain(`Token URL:      http://127.0.0.1:${port}/token`);
    expect(stdout).toContain(`EWS URL:        http://127.0.0.1:${port}/EWS/Exchange.asmx`);
    expect(stdout).toMatch(/Client secret: +\S+/);
  });

  it('prints curl commands that, pasted into a shell, return free/busy for a demo mailbox', async () => {
    const getToken = commandAfter(stdout, 'Get a token:');
    const ask = commandAfter(stdout, 'Ask for free/busy');
    const answer = await runShell(`${getToken}\n${ask}`);
    const [adele] = await mailboxesOf(answer);
    expect(adele.responseCode).toBe('NoError');
    expect(adele.viewType).toBe('DetailedMerged');
    // One day in hourly slots, with something on Adele's Monday.
    expect(adele.merged).toMatch(/^[0-3]{24}$/);
    expect(adele.merged).toMatch(/[1-3]/);
    expect(adele.events.length).toBeGreaterThan(0);
  });

  it('prints a lookup that mixes the two demo tenants, each mailbox answered by its own', async () => {
    expect(stdout).toMatch(/Demo tenants: +contoso \(contoso\.com\): adele\.vance@contoso\.com/);
    expect(stdout).toMatch(/^ +fabrikam \(fabrikam\.com\): lars\.becker@fabrikam\.com/m);
    const getToken = commandAfter(stdout, 'Get a token:');
    const ask = commandAfter(stdout, 'Ask both tenants in one request');
    const answer = await runShell(`${getToken}\n${ask}`);
    const mailboxes = await mailboxesOf(answer);
    expect(mailboxes.map((m) => m.responseCode)).toEqual(['NoError', 'NoError']);
    // Adele's Monday in Pacific time and Lars's in Berlin time: two different calendars.
    const [adele, lars] = mailboxes;
    expect(adele.events.length).toBeGreaterThan(0);
    expect(lars.events.length).toBeGreaterThan(0);
    expect(lars.events.map((e) => e.subject)).toContain('Sales standup');
    expect(adele.events.map((e) => e.subject)).not.toContain('Sales standup');
    // The relay's audit line for that lookup: both tenants asked, in request order.
    await within(
      (async () => {
        for (;;) {
          const audit = stdout
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as { msg?: string; tenants?: string[] })
            .filter((line) => line.msg === 'availability lookup');
          if (audit.some((line) => line.tenants?.join() === 'contoso,fabrikam')) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
      5_000,
      'an audit line naming both tenants',
    );
  });
});

/**
 * A machine whose own Node.js is older than the product's line (here the system's Node 20, past
 * end of life): one line saying what to do, exit 1, no stack trace. Runs after the suite above,
 * which leaves a build in dist/ for the relay's own check.
 */
const SYSTEM_NODE = '/usr/bin/node';
const systemNodeVersion = existsSync(SYSTEM_NODE)
  ? execFileSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).trim()
  : undefined;
const oldNode =
  systemNodeVersion !== undefined && Number(/^v(\d+)/.exec(systemNodeVersion)?.[1]) < 24;
const onOldNode = oldNode ? it : it.skip;
const skipReason = oldNode
  ? ''
  : ` (skipped: ${SYSTEM_NODE} is ${systemNodeVersion ?? 'absent'}, not a Node.js older than 24)`;

/** Runs `command` with a PATH whose first `node` is the system's old one; all output together. */
function runOnOldNode(
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  const bin = mkdtempSync(join(tmpdir(), 'old-node-'));
  symlinkSync(SYSTEM_NODE, join(bin, 'node'));
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => {
      rmSync(bin, { recursive: true, force: true });
      resolve({ code, output: output.trim() });
    });
  });
}

describe(`on ${systemNodeVersion ?? 'an older Node.js'}`, () => {
  onOldNode(`npm run demo says in one line to install Node.js 24${skipReason}`, async () => {
    const { code, output } = await runOnOldNode('npm', ['run', '--silent', 'demo']);
    expect(code).toBe(1);
    expect(output.split('\n')).toEqual([
      `Calendar Relay needs Node.js 24 or later; this is ${systemNodeVersion}: run ` +
        '`export PATH="$(bash scripts/install-node.sh)/bin:$PATH"` (installs Node.js 24 into .tools/) and try again',
    ]);
  });

  onOldNode(`the built relay refuses to start with one line${skipReason}`, async () => {
    const main = join(ROOT, 'dist/apps/calendar-relay/apps/calendar-relay/src/main.js');
    const { code, output } = await runOnOldNode('node', [main]);
    expect(code).toBe(1);
    expect(output.split('\n')).toEqual([
      `calendar-relay: refusing to start: Calendar Relay needs Node.js 24 or later; this is ${systemNodeVersion}`,
    ]);
  });
});
