import { readFile } from 'node:fs/promises';
import type { LoggerService } from '@nestjs/common';
import { ConfigurationError } from './configuration-error';
import { errorText } from './error-text';
import { backoffDelays, retryWithBackoff } from './retry-schedule';
import { sleep, type Scheduler } from './scheduler';
import type { SecretSnapshot, SecretSource } from './secret-source';
import type { SecretSourceSettings, VaultSettings } from './secret-source.settings';
import { SecretsDirSource } from './secrets-dir.source';
import { NodeVaultApi, type NodeVaultApiOptions } from './vault/node-vault.api';
import type { VaultApi } from './vault/vault-api';
import { VaultKvSource } from './vault/vault-kv.source';
import { VaultSession } from './vault/vault-session';

/**
 * A secret source could not be read at start-up, after its retries. Its message is one line
 * naming the source (address, secret path, auth method) and the last failure (request, HTTP
 * status or network error), which main.ts prints as the reason it refuses to start.
 */
export class SecretSourceUnavailableError extends ConfigurationError {
  constructor(
    readonly source: string,
    readonly detail: string,
  ) {
    super([`${source}: ${detail}`]);
    this.message = `${source}: ${detail}`;
    this.name = 'SecretSourceUnavailableError';
  }
}

export interface OpeningDeps {
  readonly logger: LoggerService;
  readonly scheduler: Scheduler;
  /** The Vault client; NodeVaultApi unless a spec substitutes one. */
  readonly createVaultApi?: (options: NodeVaultApiOptions) => VaultApi;
}

/** A source and its first read. */
export interface OpenedSource {
  readonly source: SecretSource;
  readonly snapshot: SecretSnapshot;
}

/** The secret sources as read at start-up, in precedence order, and their Vault login. */
export interface OpenedSources {
  readonly sources: readonly OpenedSource[];
  /** Starts keeping the Vault login alive (once the app has bootstrapped). */
  start(): void;
  /** Stops that and revokes the relay's own login token (best effort). */
  stop(): Promise<void>;
}

/**
 * Opens the configured secret sources and reads each once: the Vault secret first, then each
 * tenant's own Vault secret through the same login (the session trusts VAULT_CACERT; reads are
 * retried on the VAULT_STARTUP_* schedule, since a Vault that is still starting, or an init job
 * that has not written the secret yet, deserves a few chances), then SECRETS_DIR (read once: its files are either there or not). Throws ConfigurationError for
 * an unreadable VAULT_CACERT and SecretSourceUnavailableError for a source that cannot be read.
 */
export async function openSecretSources(
  settings: SecretSourceSettings,
  deps: OpeningDeps,
): Promise<OpenedSources> {
  const opened: OpenedSource[] = [];
  let session: VaultSession | undefined;
  try {
    if (settings.vault !== undefined) {
      const vault = settings.vault;
      const login = new VaultSession(vault, {
        api: await vaultApi(vault, deps),
        logger: deps.logger,
        scheduler: deps.scheduler,
      });
      session = login;
      const sources = [
        new VaultKvSource(login, vault.kv, vault.refreshSeconds),
        ...vault.tenantSecrets.map(
          ({ tenant, kv }) => new VaultKvSource(login, kv, vault.refreshSeconds, tenant),
        ),
      ];
      for (const source of sources) {
        opened.push({ source, snapshot: await readWithRetries(source, vault.startup, deps) });
      }
    }
    if (settings.secretsDir !== undefined) {
      const source = new SecretsDirSource(settings.secretsDir);
      opened.push({ source, snapshot: await readOnce(source) });
    }
  } catch (error) {
    await session?.stop();
    throw error;
  }
  return {
    sources: opened,
    start: () => session?.start(),
    stop: async () => {
      await session?.stop();
    },
  };
}

async function vaultApi(vault: VaultSettings, deps: OpeningDeps): Promise<VaultApi> {
  let caCert: string | undefined;
  if (vault.caCertFile !== undefined) {
    try {
      caCert = await readFile(vault.caCertFile, 'utf8');
    } catch (error) {
      throw new ConfigurationError([
        `VAULT_CACERT ${vault.caCertFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorText(error)})`,
      ]);
    }
  }
  const options: NodeVaultApiOptions = {
    address: vault.address,
    namespace: vault.namespace,
    caCert,
    timeoutMs: vault.requestTimeoutMs,
  };
  return deps.createVaultApi?.(options) ?? new NodeVaultApi(options);
}

async function readWithRetries(
  source: SecretSource,
  startup: VaultSettings['startup'],
  { logger, scheduler }: OpeningDeps,
): Promise<SecretSnapshot> {
  const startedAt = scheduler.now();
  try {
    return await retryWithBackoff(() => source.read(), {
      delaysMs: backoffDelays(startup.attempts, startup.firstBackoffMs),
      sleep: (ms) => sleep(scheduler, ms),
      onRetry: (error, attempt, delay) => {
        logger.warn?.(
          `${source.describe()}: attempt ${attempt} of ${startup.attempts} failed (${errorText(error)}); retrying in ${delay} ms`,
        );
      },
    });
  } catch (error) {
    const seconds = Math.round((scheduler.now() - startedAt) / 100) / 10;
    throw new SecretSourceUnavailableError(
      source.describe(),
      `${errorText(error)} (gave up after ${startup.attempts} attempt${startup.attempts > 1 ? 's' : ''} in ${seconds} s)`,
    );
  }
}

async function readOnce(source: SecretSource): Promise<SecretSnapshot> {
  try {
    return await source.read();
  } catch (error) {
    throw new SecretSourceUnavailableError(source.describe(), errorText(error));
  }
}
