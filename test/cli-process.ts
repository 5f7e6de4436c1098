import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * The admin CLI as an admin runs it: apps/calendar-relay/src/cli/main.ts in its own node
 * process (through test/support/typescript-require-hook.ts, as relay-process.ts runs main.ts: no
 * build needed), with exactly the environment and working directory given.
 */

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'apps', 'calendar-relay', 'src', 'cli', 'main.ts');

let work: string | undefined;

function workDir(): string {
  if (work === undefined) {
    work = mkdtempSync(join(tmpdir(), 'calendar-relay-cli-'));
    const source = readFileSync(
      join(ROOT, 'test', 'support', 'typescript-require-hook.ts'),
      'utf8',
    );
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    writeFileSync(join(work, 'hook.js'), output.outputText);
  }
  return work;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly env?: Record<string, string>;
  /** Working directory (where a .env would be read); an empty one by default. */
  readonly cwd?: string;
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const dir = workDir();
  const script =
    `require(${JSON.stringify(join(dir, 'hook.js'))}).installTypeScriptRequireHook(${JSON.stringify(ROOT)}, ${JSON.stringify(join(dir, 'transpiled'))});` +
    `require(${JSON.stringify(CLI)});`;
  const child = spawn(process.execPath, ['-e', script, 'calendar-relay', ...args], {
    cwd: options.cwd ?? mkdtempSync(join(dir, 'cwd-')),
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.NODE_EXTRA_CA_CERTS !== undefined
        ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
        : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** Removes the transpiled files and working directories (call in afterAll). */
export function removeCliFiles(): void {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
  work = undefined;
}
