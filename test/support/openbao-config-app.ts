import { ConsoleLogger, Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { RelayConfigModule, RelayConfigStore } from '@app/config';
import { CollectedLogs } from './collected-logs';

/**
 * A Nest application context holding the real RelayConfigModule, started the way the app starts
 * it (module compile runs the async relayConfig factory, init runs the bootstrap hooks that
 * start the refresh timers, close runs the shutdown hooks), with `env` as its whole relay
 * environment and every log line captured.
 */

/** Relay keys of the developer's environment are hidden during start-up (as startRelay does). */
const RELAY_KEYS =
  /^(PORT|HOST|GOOGLE_|TOKEN_|GRAPH_|CACHE_|ALLOWED_DOMAINS|EVENT_DETAILS|TLS_|TRUST_PROXY|IP_ALLOWLIST|BODY_LIMIT_BYTES|LOG_LEVEL|VAULT_|SECRETS_|BAO_|TENANT)/;

export interface ConfigApp {
  readonly module: TestingModule;
  readonly store: RelayConfigStore;
  readonly logs: CollectedLogs;
  close(): Promise<void>;
}

export async function startConfigApp(
  env: Record<string, string>,
  logs: CollectedLogs = new CollectedLogs(),
): Promise<ConfigApp> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (RELAY_KEYS.test(key)) delete process.env[key];
  Object.assign(process.env, { LOG_LEVEL: 'silent' }, env);
  try {
    const module = await Test.createTestingModule({ imports: [RelayConfigModule] })
      .setLogger(logs)
      .compile();
    await module.init();
    return {
      module,
      store: module.get(RelayConfigStore),
      logs,
      close: () => module.close(),
    };
  } finally {
    process.env = saved;
  }
}

/** Puts Nest's default console logger back (call in afterAll of a suite that captured). */
export function restoreLogger(): void {
  Logger.overrideLogger(new ConsoleLogger());
}

/** Waits until `check` returns true (polling), or fails with `what`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}
