import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EmulatorMessage } from './emulator-process';
import type { RenderCost } from './render-cost';
import { cpuModel, cpuMsOf, peakRssMbOf } from './proc-stats';
import { distinctAvailabilityRequests } from './workload';

/**
 * `npm run bench` (see run-bench.sh): the built relay as a child process against the Graph
 * emulator (another child, answering at once), loaded with autocannon on 127.0.0.1, next to a
 * bare Fastify server returning the same bytes. Every scenario gets a fresh relay and a fresh
 * bare server, so CPU time and peak RSS are the scenario's own.
 *
 *   npm run bench [-- --only=10x7,100x42,render] [--duration=8] [--profile] [--no-pin]
 *                    [--relay-node-options='--max-semi-space-size=64']
 *
 * --profile runs the relay with `node --cpu-prof` and leaves one .cpuprofile per scenario.
 *
 * With two or more CPUs (and `taskset`), the server under test (relay or bare) gets CPU 0 to
 * itself and the load generator and the emulator share the others, so that the two servers are
 * compared on equal terms and the client's latency is not the load generator waiting for a
 * core. --no-pin lets the kernel place everything.
 */

const ROOT = resolve(__dirname, '..', '..');
const BUILD = join(ROOT, 'dist/apps/calendar-relay');
const MAIN_IN_BUILD = 'apps/calendar-relay/src/main.js';
const LOADER = process.env.BENCH_TS_LOADER;
const GOOGLE_CLIENT_ID = 'bench-google-client';
const GOOGLE_CLIENT_SECRET = 'bench-google-secret-0123456789abcdefghijklmnopqrstuvwxyz';

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly mailboxes: number;
  readonly days: number;
  readonly view: string;
  readonly connections: number;
  readonly cacheTtlSeconds: number;
  /**
   * Distinct request bodies cycled through (windows 30 minutes apart). One body means identical
   * lookups; more (twice the connections) keep the relay from joining lookups in flight, so that
   * Graph calls per lookup are what varied traffic costs.
   */
  readonly variants: number;
}

const SCENARIOS: readonly Scenario[] = [
  {
    id: '1x1',
    title: '1 mailbox x 1 day FreeBusyMerged',
    mailboxes: 1,
    days: 1,
    view: 'FreeBusyMerged',
    connections: 50,
    cacheTtlSeconds: 0,
    variants: 100,
  },
  {
    id: '10x7',
    title: '10 mailboxes x 7 days DetailedMerged',
    mailboxes: 10,
    days: 7,
    view: 'DetailedMerged',
    connections: 50,
    cacheTtlSeconds: 0,
    variants: 100,
  },
  {
    id: '100x42',
    title: '100 mailboxes x 42 days DetailedMerged',
    mailboxes: 100,
    days: 42,
    view: 'DetailedMerged',
    connections: 2,
    cacheTtlSeconds: 0,
    // Two at a time: each takes most of a second of CPU, and ten at once only measure the
    // queue in front of one core (and Graph attempts timing out in it).
    variants: 8,
  },
  {
    id: 'cached',
    title: 'repeated identical 10 x 7 lookups, cache on (60 s)',
    mailboxes: 10,
    days: 7,
    view: 'DetailedMerged',
    connections: 50,
    cacheTtlSeconds: 60,
    variants: 1,
  },
  {
    id: 'burst200',
    title: '200 concurrent 10 x 7 lookups',
    mailboxes: 10,
    days: 7,
    view: 'DetailedMerged',
    connections: 200,
    cacheTtlSeconds: 0,
    variants: 400,
  },
  {
    id: 'serial10x7',
    title: '10 x 7 DetailedMerged, one lookup at a time (the latency a lookup adds, no queue)',
    mailboxes: 10,
    days: 7,
    view: 'DetailedMerged',
    connections: 1,
    cacheTtlSeconds: 0,
    variants: 100,
  },
];

interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * The same, without each connection's first request: on a connection kept alive, as Google
   * keeps its connections. A first request also waits for the server to accept the connection,
   * and a saturated Node server accepts one connection per event-loop iteration (libuv 1.45+,
   * libuv/libuv#3696): at the start of a run, 50 new connections wait up to seconds for that.
   */
  readonly steadyP50Ms: number;
  readonly steadyP99Ms: number;
  readonly cpuMsPerRequest: number;
  readonly peakRssMb: number;
  readonly errors: number;
  readonly requests: number;
  readonly responseBytes: number;
}

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly relay: Measurement & { readonly graphCallsPerLookup: number };
  readonly bare: Measurement;
}

function parseArgs(argv: readonly string[]) {
  const value = (name: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    only: value('only')?.split(','),
    durationSeconds: Number(value('duration') ?? 8),
    profile: argv.includes('--profile'),
    relayNodeOptions: value('relay-node-options'),
    pin: !argv.includes('--no-pin') && cpus().length >= 2 && hasTaskset(),
  };
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** CPU 0 for the server under test; this process (autocannon) and the emulator get the rest. */
const SERVER_CPU = '0';
function pinThisProcessAwayFromServerCpu(): void {
  const rest = `1-${cpus().length - 1}`;
  const result = spawnSync('taskset', ['-a', '-cp', rest, String(process.pid)], {
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error('taskset could not pin the load generator');
}

/** `node args...`, on the server CPU when pinning. */
function spawnServer(
  pin: boolean,
  args: readonly string[],
  options: Parameters<typeof spawn>[2],
): ChildProcess {
  return pin
    ? spawn('taskset', ['-c', SERVER_CPU, process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitForHttp(url: string, child: ChildProcess, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

class EmulatorProcess {
  private waiting?: (message: EmulatorMessage) => void;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: EmulatorMessage) => this.waiting?.(message));
  }

  static async start(): Promise<{ emulator: EmulatorProcess; env: Record<string, string> }> {
    const child = spawn(process.execPath, ['-e', LOADER!, join(__dirname, 'emulator-process.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const emulator = new EmulatorProcess(child);
    const ready = await emulator.next();
    if (ready.kind !== 'ready') throw new Error('emulator did not start');
    console.log(
      `Graph emulator: ${ready.env.GRAPH_ENDPOINT}, 100 mailboxes, ${ready.events} events`,
    );
    return { emulator, env: ready.env };
  }

  private next(): Promise<EmulatorMessage> {
    return new Promise((done) => (this.waiting = done));
  }

  async getScheduleCount(): Promise<number> {
    const reply = this.next();
    this.child.send({ kind: 'counters' });
    const message = await reply;
    if (message.kind !== 'counters') throw new Error('unexpected emulator message');
    return message.getSchedule;
  }

  close(): void {
    this.child.disconnect();
  }
}

interface Target {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly pid: number;
}

function isCompleteAnswer(body: string): boolean {
  return body.endsWith('</s:Envelope>') && !body.includes('ResponseClass="Error"');
}

/** autocannon options sending `bodies` in turn, across all connections. */
function loadOptions(target: Target, bodies: readonly string[], connections: number) {
  let next = 0;
  return {
    url: target.url,
    connections,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: target.headers,
        body: bodies[0],
        setupRequest: (request: autocannon.RequestSpec) => ({
          ...request,
          body: bodies[next++ % bodies.length],
        }),
      },
    ],
  };
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * One autocannon run; the amount is fixed so that counts at the emulator are exact. Also the
 * latencies of requests that were not the first on their connection (see steadyP99Ms).
 */
async function load(
  target: Target,
  bodies: readonly string[],
  connections: number,
  amount: number,
): Promise<{ result: autocannon.Result; steadyLatenciesMs: number[] }> {
  const seenClients = new Set<unknown>();
  const steadyLatenciesMs: number[] = [];
  const instance = autocannon(
    {
      ...loadOptions(target, bodies, connections),
      amount,
      verifyBody: isCompleteAnswer,
    },
    () => undefined,
  );
  instance.on('response', (client, _status, _bytes, responseTimeMs) => {
    if (seenClients.has(client)) steadyLatenciesMs.push(responseTimeMs);
    else seenClients.add(client);
  });
  const result = await new Promise<autocannon.Result>((done) => instance.on('done', done));
  return { result, steadyLatenciesMs: steadyLatenciesMs.sort((a, b) => a - b) };
}

async function measure(
  target: Target,
  bodies: readonly string[],
  scenario: Scenario,
  amount: number,
  responseBytes: number,
): Promise<Measurement> {
  const cpuBefore = cpuMsOf(target.pid);
  const { result, steadyLatenciesMs } = await load(target, bodies, scenario.connections, amount);
  const cpuMs = cpuMsOf(target.pid) - cpuBefore;
  const requests = result['2xx'] + result.non2xx;
  return {
    requestsPerSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    steadyP50Ms: percentile(steadyLatenciesMs, 50),
    steadyP99Ms: percentile(steadyLatenciesMs, 99),
    cpuMsPerRequest: cpuMs / Math.max(1, requests),
    peakRssMb: peakRssMbOf(target.pid),
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    requests,
    responseBytes,
  };
}

/**
 * A short unmeasured run: JIT warm-up and a rate to size the real run. A number of requests,
 * not a duration: a run stopped by the clock closes its connections with requests in flight,
 * and the server would go on working on them (and calling Graph) during the measured run.
 */
async function warmUp(
  target: Target,
  bodies: readonly string[],
  scenario: Scenario,
): Promise<number> {
  const started = Date.now();
  const result = await autocannon({
    ...loadOptions(target, bodies, scenario.connections),
    amount: scenario.connections * 4,
  });
  return (result['2xx'] + result.non2xx) / Math.max(0.5, (Date.now() - started) / 1000);
}

async function runScenario(
  scenario: Scenario,
  graphEnv: Record<string, string>,
  emulator: EmulatorProcess,
  options: ReturnType<typeof parseArgs>,
  outDir: string,
  relayMain: string,
): Promise<ScenarioResult> {
  const bodies = distinctAvailabilityRequests(
    scenario.variants,
    scenario.mailboxes,
    scenario.days,
    scenario.view,
  );

  // The relay, built, as production runs it.
  const port = await freePort();
  const profileArgs = options.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${outDir}`, `--cpu-prof-name=relay-${scenario.id}.cpuprofile`]
    : [];
  const log = openSync(join(outDir, `relay-${scenario.id}.log`), 'w');
  const relay = spawnServer(options.pin, [...profileArgs, relayMain], {
    cwd: mkdtempSync(join(tmpdir(), 'bench-relay-')),
    env: {
      PATH: process.env.PATH ?? '',
      // The build runs from a private copy (see main); its packages are the repository's.
      NODE_PATH: join(ROOT, 'node_modules'),
      NODE_ENV: 'production',
      // e.g. --relay-node-options=--max-semi-space-size=64 (a GC trade-off an operator may weigh).
      ...(options.relayNodeOptions !== undefined ? { NODE_OPTIONS: options.relayNodeOptions } : {}),
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
      ...graphEnv,
      GOOGLE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET,
      EVENT_DETAILS: 'true',
      CACHE_TTL_SECONDS: String(scenario.cacheTtlSeconds),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: ['ignore', log, log],
  });
  const origin = `http://127.0.0.1:${port}`;
  let relayResult: ScenarioResult['relay'];
  let sample: string;
  try {
    await waitForHttp(`${origin}/health/live`, relay, 'the relay');
    const tokenRes = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: GOOGLE_CLIENT_ID,
        client_secret: GOOGLE_CLIENT_SECRET,
      }).toString(),
    });
    if (!tokenRes.ok) throw new Error(`token: ${tokenRes.status} ${await tokenRes.text()}`);
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const target: Target = {
      url: `${origin}/EWS/Exchange.asmx`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      pid: relay.pid!,
    };
    // Each body once, one at a time: checks every answer and lets the emulator compute each
    // schedule before the clock runs.
    sample = '';
    for (const body of bodies) {
      const res = await fetch(target.url, { method: 'POST', headers: target.headers, body });
      const text = await res.text();
      if (!res.ok || !isCompleteAnswer(text)) {
        throw new Error(`the relay's answer is not a complete success: ${text.slice(0, 500)}`);
      }
      if (sample === '') sample = text;
    }
    const rate = await warmUp(target, bodies, scenario);
    const amount = Math.max(scenario.connections * 2, Math.round(rate * options.durationSeconds));
    const callsBefore = await emulator.getScheduleCount();
    const measured = await measure(target, bodies, scenario, amount, Buffer.byteLength(sample));
    const calls = (await emulator.getScheduleCount()) - callsBefore;
    relayResult = { ...measured, graphCallsPerLookup: calls / Math.max(1, measured.requests) };
  } finally {
    await stop(relay);
  }

  // The bare baseline with the same bytes, the same connections and the same request count.
  const responseFile = join(outDir, `response-${scenario.id}.xml`);
  writeFileSync(responseFile, sample);
  const barePort = await freePort();
  const bare = spawnServer(
    options.pin,
    ['-e', LOADER!, join(__dirname, 'bare-server.ts'), String(barePort), responseFile],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  try {
    const target: Target = {
      url: `http://127.0.0.1:${barePort}/EWS/Exchange.asmx`,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      pid: bare.pid!,
    };
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        await fetch(target.url, { method: 'POST', headers: target.headers, body: bodies[0] });
        break;
      } catch (error) {
        if (Date.now() > until || bare.exitCode !== null) throw error;
        await sleep(100);
      }
    }
    await warmUp(target, bodies, scenario);
    const bareResult = await measure(
      target,
      bodies,
      scenario,
      relayResult.requests,
      Buffer.byteLength(sample),
    );
    return { scenario, relay: relayResult, bare: bareResult };
  } finally {
    await stop(bare);
  }
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');

function printResults(results: readonly ScenarioResult[]): void {
  const header = [
    'scenario',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'kept-alive p50 / p99 ms',
    'CPU ms/req',
    'peak RSS MB',
    'Graph calls/lookup',
    'errors',
    'response KB',
  ];
  const rows: string[][] = [];
  for (const { scenario, relay, bare } of results) {
    rows.push([
      `${scenario.id} (${scenario.connections} conns)`,
      'relay',
      fixed(relay.requestsPerSecond, 0),
      fixed(relay.p50Ms),
      fixed(relay.p99Ms),
      `${fixed(relay.steadyP50Ms)} / ${fixed(relay.steadyP99Ms)}`,
      fixed(relay.cpuMsPerRequest, 2),
      fixed(relay.peakRssMb, 0),
      fixed(relay.graphCallsPerLookup, 2),
      String(relay.errors),
      fixed(relay.responseBytes / 1024, 0),
    ]);
    rows.push([
      '',
      'bare',
      fixed(bare.requestsPerSecond, 0),
      fixed(bare.p50Ms),
      fixed(bare.p99Ms),
      `${fixed(bare.steadyP50Ms)} / ${fixed(bare.steadyP99Ms)}`,
      fixed(bare.cpuMsPerRequest, 2),
      fixed(bare.peakRssMb, 0),
      '-',
      String(bare.errors),
      fixed(bare.responseBytes / 1024, 0),
    ]);
    rows.push([
      '',
      'relay/bare',
      ratio(relay.requestsPerSecond, bare.requestsPerSecond),
      ratio(relay.p50Ms, bare.p50Ms),
      ratio(relay.p99Ms, bare.p99Ms),
      `${ratio(relay.steadyP50Ms, bare.steadyP50Ms)} / ${ratio(relay.steadyP99Ms, bare.steadyP99Ms)}`,
      ratio(relay.cpuMsPerRequest, bare.cpuMsPerRequest),
      ratio(relay.peakRssMb, bare.peakRssMb),
      '-',
      '-',
      '-',
    ]);
  }
  printTable(header, rows);
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
}

function printTargets(
  results: readonly ScenarioResult[],
  render100x42: RenderCost | undefined,
): boolean {
  const byId = new Map(results.map((r) => [r.scenario.id, r]));
  const rows: string[][] = [];
  const check = (target: string, measured: string, pass: boolean | undefined) =>
    rows.push([target, measured, pass === undefined ? 'not run' : pass ? 'PASS' : 'FAIL']);
  const s10 = byId.get('10x7');
  const s100 = byId.get('100x42');
  check(
    'throughput >= 50% of bare (10 x 7)',
    s10 ? `${fixed((100 * s10.relay.requestsPerSecond) / s10.bare.requestsPerSecond, 0)}%` : '-',
    s10 && s10.relay.requestsPerSecond >= 0.5 * s10.bare.requestsPerSecond,
  );
  const added = s10 ? s10.relay.p99Ms - s10.bare.p99Ms : NaN;
  check(
    'p99 added latency < 10 ms at 50 concurrent (10 x 7), all requests',
    s10 ? `${fixed(added)} ms (${fixed(s10.relay.p99Ms)} - ${fixed(s10.bare.p99Ms)})` : '-',
    s10 && added < 10,
  );
  const addedSteady = s10 ? s10.relay.steadyP99Ms - s10.bare.steadyP99Ms : NaN;
  check(
    'the same, on kept-alive connections (first request of each left out)',
    s10
      ? `${fixed(addedSteady)} ms (${fixed(s10.relay.steadyP99Ms)} - ${fixed(s10.bare.steadyP99Ms)})`
      : '-',
    s10 && addedSteady < 10,
  );
  // At 50 connections a CPU-bound server's latency is the queue (50 / throughput); one lookup
  // at a time shows what the relay itself adds to a lookup. Medians: on one connection both
  // servers show occasional stalls of ~30-40 ms at the tail, which make a p99 difference noise.
  const serial = byId.get('serial10x7');
  const addedSerial = serial ? serial.relay.steadyP50Ms - serial.bare.steadyP50Ms : NaN;
  check(
    'median added latency < 10 ms, one 10 x 7 lookup at a time (no queue)',
    serial
      ? `${fixed(addedSerial)} ms (${fixed(serial.relay.steadyP50Ms)} - ${fixed(serial.bare.steadyP50Ms)})`
      : '-',
    serial && addedSerial < 10,
  );
  const rendered = render100x42 && render100x42.parseRequestMs + render100x42.renderMs;
  check(
    '100 x 42 rendered in < 50 ms CPU (EWS request + render + bytes)',
    rendered !== undefined ? `${fixed(rendered)} ms` : '-',
    rendered !== undefined && rendered < 50,
  );
  check(
    '100 x 42 whole lookup in < 50 ms CPU (relay process, end to end)',
    s100 ? `${fixed(s100.relay.cpuMsPerRequest)} ms` : '-',
    s100 && s100.relay.cpuMsPerRequest < 50,
  );
  const ran = results.length > 0 ? true : undefined;
  const peak = Math.max(...results.map((r) => r.relay.peakRssMb));
  check(
    'peak RSS < 200 MB (every scenario)',
    ran ? `${fixed(peak, 0)} MB` : '-',
    ran && peak < 200,
  );
  const errors = results.reduce((n, r) => n + r.relay.errors, 0);
  check('zero errors', ran ? String(errors) : '-', ran && errors === 0);
  printTable(['target', 'measured', 'verdict'], rows);
  return rows.every((r) => r[2] !== 'FAIL');
}

/** The pure steps of one lookup on the built code, in a process of their own. */
async function measureRenderCost(
  relayMain: string,
  mailboxes: number,
  days: number,
): Promise<RenderCost> {
  const build = resolve(relayMain, '..', '..', '..', '..');
  const child = spawn(
    process.execPath,
    ['-e', LOADER!, join(__dirname, 'render-cost.ts'), build, String(mailboxes), String(days)],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`render-cost exited with ${code}`);
  return JSON.parse(out) as RenderCost;
}

function printRenderCosts(costs: readonly RenderCost[]): void {
  printTable(
    ['lookup', 'events', 'read EWS request', 'read + map Graph answers', 'render + bytes', 'total'],
    costs.map((c) => [
      `${c.mailboxes} x ${c.days} DetailedMerged`,
      String(c.events),
      `${fixed(c.parseRequestMs, 2)} ms`,
      `${fixed(c.graphAnswersMs, 2)} ms`,
      `${fixed(c.renderMs, 2)} ms`,
      `${fixed(c.totalMs, 2)} ms`,
    ]),
  );
}

/** Files a complete build has (main.js requires every lib through its index). */
const BUILD_CHECKS = [
  MAIN_IN_BUILD,
  'apps/calendar-relay/src/app.module.js',
  ...['config', 'auth', 'ews', 'availability', 'graph', 'health'].map(
    (lib) => `libs/${lib}/src/index.js`,
  ),
];

/**
 * A private copy of the build: the tree is shared, and a `nest build` run by someone else
 * deletes dist/ and writes it anew, so a copy taken meanwhile is checked and taken again.
 */
async function privateBuildCopy(target: string): Promise<string> {
  for (let attempt = 1; attempt <= 6; attempt++) {
    rmSync(target, { recursive: true, force: true });
    if (existsSync(BUILD)) cpSync(BUILD, target, { recursive: true });
    if (BUILD_CHECKS.every((file) => existsSync(join(target, file)))) {
      return join(target, MAIN_IN_BUILD);
    }
    if (attempt === 3) {
      console.log('The build in dist/ is incomplete; building again (npm run build)...');
      spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    } else {
      await sleep(5_000);
    }
  }
  throw new Error('no complete build of the relay in dist/ (run npm run build)');
}

async function main(): Promise<void> {
  if (LOADER === undefined)
    throw new Error('run through scripts/bench/run-bench.sh (npm run bench)');
  const options = parseArgs(process.argv.slice(1));
  const outDir = join(tmpdir(), `calendar-relay-bench-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });
  if (options.pin) pinThisProcessAwayFromServerCpu();
  console.log(
    `Machine: ${cpuModel()}, ${cpus().length} CPUs; Node ${process.version}; ${options.durationSeconds} s per run; output in ${outDir}`,
  );
  console.log(
    options.pin
      ? `Pinned: the server under test on CPU ${SERVER_CPU}; load generator and Graph emulator on CPUs 1-${cpus().length - 1}`
      : 'Not pinned: servers, load generator and emulator share all CPUs',
  );
  const relayMain = await privateBuildCopy(join(outDir, 'build'));
  const { emulator, env } = await EmulatorProcess.start();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (options.only !== undefined && !options.only.includes(scenario.id)) continue;
      console.log(`- ${scenario.id}: ${scenario.title}, ${scenario.connections} connections`);
      results.push(await runScenario(scenario, env, emulator, options, outDir, relayMain));
    }
  } finally {
    emulator.close();
  }
  const renderCosts: RenderCost[] = [];
  if (options.only === undefined || options.only.includes('render')) {
    console.log('- pure steps of one lookup on the built code (median CPU)');
    for (const [mailboxes, days] of [
      [10, 7],
      [100, 42],
    ]) {
      renderCosts.push(await measureRenderCost(relayMain, mailboxes, days));
    }
  }
  console.log('');
  printResults(results);
  console.log('');
  if (renderCosts.length > 0) {
    printRenderCosts(renderCosts);
    console.log('');
  }
  const passed = printTargets(
    results,
    renderCosts.find((c) => c.mailboxes === 100),
  );
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ results, renderCosts }, null, 2));
  if (options.profile) console.log(`\nCPU profiles: ${outDir}/relay-*.cpuprofile`);
  process.exitCode = passed ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
