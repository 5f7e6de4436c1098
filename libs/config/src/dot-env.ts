import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The relay's one reader of a `.env` file (a development convenience; production sets the
 * environment): its keys join `env` where `env` lacks them, so values already in the
 * environment win, as with `node --env-file`. main.ts calls it once before anything reads the
 * configuration, and config-check likewise; nothing else reads the file. Returns the keys it
 * supplied, so config-check can say which key came from `.env`.
 */
export function loadDotEnv(
  env: Record<string, string | undefined>,
  file = '.env',
): ReadonlySet<string> {
  if (!existsSync(file)) return new Set();
  const supplied = new Set<string>();
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[key] !== undefined || value === undefined) continue;
    env[key] = value;
    supplied.add(key);
  }
  return supplied;
}
