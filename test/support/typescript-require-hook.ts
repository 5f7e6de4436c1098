import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TypeScript from 'typescript';

/**
 * Lets a plain `node` child process run the relay's TypeScript sources (main.ts itself), so the
 * start-up tests exercise the real bootstrap and its exit without a `nest build` first: each
 * required .ts file is transpiled on the fly with the repository's tsconfig (decorator metadata
 * included), and the tsconfig `paths` (@app/...) resolve to the libs. No type checking: jest
 * and tsc do that.
 *
 * Used by spawnRelaySource (relay-process.ts), which transpiles this file and preloads it.
 * With `cacheDir`, transpiled files are kept by content hash, so the next process starts in a
 * fraction of the time.
 */
export function installTypeScriptRequireHook(rootDir: string, cacheDir?: string): void {
  // The repository's typescript (this file runs from a temporary directory).
  const ts = createRequire(join(rootDir, 'package.json'))('typescript') as typeof TypeScript;
  if (cacheDir !== undefined) mkdirSync(cacheDir, { recursive: true });
  const configPath = join(rootDir, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (path) => readFileSync(path, 'utf8')) as {
    config: unknown;
  };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, rootDir);
  const compilerOptions: TypeScript.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
    declaration: false,
    noEmit: false,
  };
  const aliases = Object.entries(options.paths ?? {}).map(([alias, targets]) => ({
    alias,
    target: join(options.baseUrl ?? rootDir, targets[0]),
  }));

  const internals = Module as unknown as {
    _resolveFilename(request: string, ...rest: unknown[]): string;
    _extensions: Record<string, (module: NodeJS.Module, filename: string) => void>;
  };
  const resolve = internals._resolveFilename.bind(Module);
  internals._resolveFilename = (request: string, ...rest: unknown[]) => {
    const alias = aliases.find((a) => a.alias === request);
    return resolve(alias === undefined ? request : alias.target, ...rest);
  };
  const transpile = (filename: string): string => {
    const source = readFileSync(filename, 'utf8');
    const cached =
      cacheDir === undefined
        ? undefined
        : join(cacheDir, createHash('sha256').update(filename).update(source).digest('hex'));
    if (cached !== undefined && existsSync(cached)) return readFileSync(cached, 'utf8');
    const output = ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
    if (cached !== undefined) writeFileSync(cached, output);
    return output;
  };
  internals._extensions['.ts'] = (module: NodeJS.Module, filename: string) => {
    (module as NodeJS.Module & { _compile(code: string, filename: string): void })._compile(
      transpile(filename),
      filename,
    );
  };
}
