import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/**
 * The admin CLI's command line: `<command> [--flag value | --switch]... [positional]...`, also
 * `--flag=value`, read by Node's own util.parseArgs (strict: an unknown option or a missing
 * value is a usage mistake). Each command says which flags take a value and which are switches.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArguments {
  /** Each valued flag's value (the last, when given more than once). */
  readonly flags: ReadonlyMap<string, string>;
  /** Every value of each valued flag, in order (`--address a --address b`). */
  readonly flagValues: ReadonlyMap<string, readonly string[]>;
  readonly switches: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

export interface ArgumentSpec {
  /** Flags that take a value (without the leading dashes). */
  readonly valued: readonly string[];
  /** Flags that stand alone. */
  readonly switches?: readonly string[];
}

export function parseArguments(argv: readonly string[], spec: ArgumentSpec): ParsedArguments {
  const options: ParseArgsOptionsConfig = {};
  for (const name of spec.valued) options[name] = { type: 'string' };
  for (const name of spec.switches ?? []) options[name] = { type: 'boolean' };
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (error) {
    throw usageErrorOf(error, argv);
  }
  const flags = new Map<string, string>();
  const flagValues = new Map<string, string[]>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option' && token.value === undefined) switches.add(token.name);
    else if (token.kind === 'option') {
      if (token.value === '') throw new UsageError(`--${token.name} needs a value`);
      flags.set(token.name, token.value);
      flagValues.set(token.name, [...(flagValues.get(token.name) ?? []), token.value]);
    }
  }
  return { flags, flagValues, switches, positionals };
}

/** util.parseArgs's refusal in the CLI's own words (it names the option, never a value). */
function usageErrorOf(error: unknown, argv: readonly string[]): Error {
  // Read by shape: Node's errors come from another realm than a test runner's Error.
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const option = /'(-{1,2}[^' =]+)/.exec(typeof message === 'string' ? message : '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${option ?? '?'}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // A switch given a value (`--json=1`), or a valued flag given none (at the end, or followed
      // by another option).
      return argv.some((a) => a.startsWith(`${option}=`))
        ? new UsageError(`${option} takes no value`)
        : new UsageError(`${option} needs a value`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
