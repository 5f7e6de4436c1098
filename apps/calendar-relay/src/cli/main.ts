#!/usr/bin/env node
import '../supported-node';
import 'reflect-metadata';
import { UsageError } from './cli-arguments';
import { EXIT, type CliIo } from './cli-io';
import { CONFIG_CHECK_USAGE, runConfigCheck } from './config-check.command';
import { INTEROP_CHECK_USAGE, runInteropCheck } from './interop-check.command';

/**
 * The admin CLI: `npx calendar-relay <command>` (after `npm run build`) or
 * `npm run cli -- <command>`. Exit codes: 0 all good, 1 the check failed, 2 usage error.
 */

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  'interop-check': runInteropCheck,
  'config-check': runConfigCheck,
};

const USAGE = `usage: calendar-relay <command> [options]

${INTEROP_CHECK_USAGE}

${CONFIG_CHECK_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`calendar-relay: unknown command ${name}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    now: () => new Date(),
  };
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`calendar-relay ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `calendar-relay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.failed;
  },
);
