import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * The relay as production runs it: `apps/calendar-relay/src/main.ts` in its own node process
 * (through typescript-require-hook.ts, no build needed), with exactly the environment given.
 * For what only a real process shows: the start-up refusal line and exit code, signals.
 */

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps', 'calendar-relay', 'src', 'main.ts');

const temporaryDirs: string[] = [];
let hookFile: string | undefined;
/** Transpiled sources shared by the processes of one test file. */
let transpileCache: string | undefined;

/** typescript-require-hook.ts as JavaScript in a temporary directory (once per test file). */
function compiledHook(): string {
  if (hookFile === undefined) {
    const source = readFileSync(join(__dirname, 'typescript-require-hook.ts'), 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const dir = temporaryDir('relay-hook-');
    hookFile = join(dir, 'typescript-require-hook.js');
    transpileCache = join(dir, 'transpiled');
    writeFileSync(hookFile, output.outputText);
  }
  return hookFile;
}

export interface RelayProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts main.ts with `env` as its entire environment (plus PATH), in an empty working
 * directory so no developer's .env is read.
 */
export function spawnRelaySource(env: Record<string, string>): RelayProcess {
  const hook = compiledHook();
  const script =
    `require(${JSON.stringify(hook)}).installTypeScriptRequireHook(${JSON.stringify(ROOT)}, ${JSON.stringify(transpileCache)});` +
    `require(${JSON.stringify(MAIN)});`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: temporaryDir('relay-cwd-'),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Removes the working directories and transpiled files (call in afterAll). */
export function removeRelayProcessFiles(): void {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  hookFile = undefined;
  transpileCache = undefined;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Rejects after `ms` with `what`, unless `promise` settles first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
