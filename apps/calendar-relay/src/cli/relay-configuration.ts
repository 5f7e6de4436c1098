import type { LoggerService } from '@nestjs/common';
import { ConfigSources, ConfigurationError, loadDotEnv } from '@app/config';
import type { CliIo } from './cli-io';

/**
 * The relay's configuration as the relay itself would load it (environment, ./.env, Vault or
 * SECRETS_DIR), for the commands that check it. Close `sources` when done: it revokes the
 * relay's own Vault login token, as a stopping relay does.
 */
export interface LoadedConfiguration {
  /** The environment with ./.env's values added (values already in the environment win). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The keys that came from ./.env. */
  readonly fromDotEnv: ReadonlySet<string>;
  readonly sources: ConfigSources;
}

/**
 * Opens the configuration, or says in one line why the relay would refuse to start (then
 * undefined: the command fails).
 */
export async function openRelayConfiguration(
  io: CliIo,
  command: string,
): Promise<LoadedConfiguration | undefined> {
  const env = { ...io.env };
  const fromDotEnv = loadDotEnv(env);
  try {
    const sources = await ConfigSources.open(env, { logger: warningsTo(io) });
    return { env, fromDotEnv, sources };
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.err(`${command}: the relay would refuse to start: ${error.message.replace(/\n/g, '; ')}`);
      return undefined;
    }
    throw error;
  }
}

/** ConfigSources' warnings (ignored keys, retries) as notes; its routine log lines dropped. */
function warningsTo(io: CliIo): LoggerService {
  const note = (message: unknown) => io.err(`note: ${String(message)}`);
  return { log: () => undefined, warn: note, error: note };
}
