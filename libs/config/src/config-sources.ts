import { readFile } from 'node:fs/promises';
import {
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  changedKeys,
  configValuesOfSecret,
  describeIgnoredKey,
  describeProvenance,
  mergeConfigSources,
  type ConfigSourceName,
  type IgnoredKey,
  type MergedConfig,
} from './config-merge';
import type {
  ConfigRefreshOutcome,
  ConfigSourceHealth,
  ConfigSourceRefresh,
} from './config-source-health';
import { ConfigurationError } from './configuration-error';
import { applyGoogleSecretGrace, type GoogleSecretGrace } from './google-secret-grace';
import { parseRelayConfig, type RelayConfig } from './relay-config.schema';
import { backoffDelays, retryWithBackoff } from './retry-schedule';
import { parseSecretSourceSettings, type SecretSourceSettings } from './secret-source.settings';
import { SecretsDirSource } from './secrets-dir.source';
import { NodeVaultApi, type NodeVaultApiOptions } from './vault/node-vault.api';
import type { VaultApi } from './vault/vault-api';
import {
  errorText,
  realScheduler,
  VaultSecretSource,
  type Scheduler,
  type SecretSnapshot,
} from './vault/vault-secret.source';

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

type Source = VaultSecretSource | SecretsDirSource;

interface SourceState {
  readonly source: Source;
  readonly refreshSeconds: number;
  /** The snapshot the configuration in force was built from. */
  snapshot: SecretSnapshot;
  healthy: boolean;
  detail: string;
  lastRefreshAt: Date;
  failingSince?: Date;
  ignoredKeys: string;
}

export interface ConfigSourcesDeps {
  readonly logger?: LoggerService;
  readonly scheduler?: Scheduler;
  /** The Vault client; NodeVaultApi unless a spec substitutes one. */
  readonly createVaultApi?: (options: NodeVaultApiOptions) => VaultApi;
  /** Least time between two on-demand refreshes (refreshNow), in ms. */
  readonly refreshNowSpacingMs?: number;
}

const UNCHANGED: ConfigRefreshOutcome = { changed: false, changedKeys: [] };

/**
 * The relay's configuration sources (a Vault secret, a secrets directory, the environment) and
 * the configuration merged from them: read once at start-up (Vault with retries; the app does
 * not start without them), then refreshed periodically and on demand. A refresh that fails, or
 * that would make the configuration invalid, keeps the last good configuration and marks its
 * source unhealthy. Changes are published to onChange listeners (RelayConfigStore).
 */
export class ConfigSources implements OnApplicationBootstrap, OnApplicationShutdown {
  private config: RelayConfig;
  /** The configuration as parsed, before the Google secret grace is applied. */
  private parsed: RelayConfig;
  private merged: MergedConfig;
  private grace?: GoogleSecretGrace;
  private readonly listeners = new Set<(next: RelayConfig) => void>();
  private readonly refreshListeners = new Set<(refresh: ConfigSourceRefresh) => void>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private running = false;
  private stopped = false;
  private chain: Promise<unknown> = Promise.resolve();
  private queued?: Promise<ConfigRefreshOutcome>;
  private lastRefreshStartedAt = 0;
  /** The configuration merged at start-up (what `relayConfig.KEY` provides). */
  readonly initial: RelayConfig;

  private constructor(
    private readonly settings: SecretSourceSettings,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly states: SourceState[],
    private readonly logger: LoggerService,
    private readonly scheduler: Scheduler,
    private readonly refreshNowSpacingMs: number,
  ) {
    const composed = this.compose(states.map((s) => s.snapshot));
    this.merged = composed.merged;
    this.parsed = composed.config;
    this.config = composed.config;
    this.initial = composed.config;
    this.logSources(composed.ignored);
  }

  /**
   * Reads every configured source and builds the configuration. Throws ConfigurationError (a bad
   * setting or value) or SecretSourceUnavailableError (a source that could not be read).
   */
  static async open(
    environment: Readonly<Record<string, string | undefined>>,
    deps: ConfigSourcesDeps = {},
  ): Promise<ConfigSources> {
    const env = { ...environment };
    const logger = deps.logger ?? new Logger('ConfigSources');
    const scheduler = deps.scheduler ?? realScheduler;
    const settings = parseSecretSourceSettings(env);
    for (const warning of settings.warnings) logger.warn?.(warning);

    const states: SourceState[] = [];
    if (settings.vault !== undefined) {
      const vault = settings.vault;
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
      const apiOptions: NodeVaultApiOptions = {
        address: vault.address,
        namespace: vault.namespace,
        caCert,
        timeoutMs: vault.requestTimeoutMs,
      };
      const api = deps.createVaultApi?.(apiOptions) ?? new NodeVaultApi(apiOptions);
      const source = new VaultSecretSource(vault, { api, logger, scheduler });
      const delaysMs = backoffDelays(vault.startup.attempts, vault.startup.firstBackoffMs);
      const startedAt = scheduler.now();
      let snapshot: SecretSnapshot;
      try {
        snapshot = await retryWithBackoff(() => source.read(), {
          delaysMs,
          sleep: (ms) => sleep(scheduler, ms),
          onRetry: (error, attempt, delay) => {
            logger.warn?.(
              `${source.describe()}: attempt ${attempt} of ${vault.startup.attempts} failed (${errorText(error)}); retrying in ${delay} ms`,
            );
          },
        });
      } catch (error) {
        const seconds = Math.round((scheduler.now() - startedAt) / 100) / 10;
        throw new SecretSourceUnavailableError(
          source.describe(),
          `${errorText(error)} (gave up after ${vault.startup.attempts} attempt${vault.startup.attempts > 1 ? 's' : ''} in ${seconds} s)`,
        );
      }
      states.push(initialState(source, vault.refreshSeconds, snapshot, scheduler));
    }
    if (settings.secretsDir !== undefined) {
      const source = new SecretsDirSource(settings.secretsDir);
      let snapshot: SecretSnapshot;
      try {
        snapshot = await source.read();
      } catch (error) {
        throw new SecretSourceUnavailableError(source.describe(), errorText(error));
      }
      states.push(initialState(source, settings.secretsDir.refreshSeconds, snapshot, scheduler));
    }
    return new ConfigSources(
      settings,
      env,
      states,
      logger,
      scheduler,
      deps.refreshNowSpacingMs ?? 1000,
    );
  }

  /** The configuration in force (the last good one). */
  current(): RelayConfig {
    return this.config;
  }

  onChange(listener: (next: RelayConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Told of every source read after start-up, whether it worked (for metrics). */
  onRefresh(listener: (refresh: ConfigSourceRefresh) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  /** Where each configuration key in force came from (key names, never values). */
  keySources(): Readonly<Record<string, ConfigSourceName>> {
    return this.merged.provenance;
  }

  /** One entry per source, the environment last (always healthy). */
  health(): ConfigSourceHealth[] {
    return [
      ...this.states.map((s): ConfigSourceHealth => ({
        name: s.source.name,
        healthy: s.healthy,
        detail: s.detail,
        lastRefreshAt: s.lastRefreshAt,
        failingSince: s.failingSince,
      })),
      { name: 'env', healthy: true, detail: 'process environment' },
    ];
  }

  /**
   * Re-reads every secret source now (e.g. when Graph rejects the current credentials) and
   * resolves once done; never rejects (a failure shows in health() and the log). Calls while a
   * refresh waits to start share it; refreshes are at least refreshNowSpacingMs apart, so a burst
   * of failing requests cannot flood Vault.
   */
  refreshNow(): Promise<ConfigRefreshOutcome> {
    if (this.states.length === 0 || this.stopped) return Promise.resolve(UNCHANGED);
    if (this.queued !== undefined) return this.queued;
    const queued = this.serialize(async () => {
      this.queued = undefined;
      const wait = this.lastRefreshStartedAt + this.refreshNowSpacingMs - this.scheduler.now();
      if (wait > 0) await sleep(this.scheduler, wait);
      return this.refresh(this.states);
    });
    this.queued = queued;
    return queued;
  }

  onApplicationBootstrap(): void {
    if (this.running) return;
    this.running = true;
    for (const state of this.states) {
      if (state.source instanceof VaultSecretSource) state.source.start();
      this.schedulePeriodic(state);
    }
    this.scheduleGraceEnd();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    for (const state of this.states) {
      if (state.source instanceof VaultSecretSource) await state.source.stop();
    }
  }

  private schedulePeriodic(state: SourceState): void {
    if (!this.running || state.refreshSeconds <= 0) return;
    this.timers.set(
      state.source.name,
      this.scheduler.setTimeout(() => {
        void this.serialize(() => this.refresh([state])).finally(() =>
          this.schedulePeriodic(state),
        );
      }, state.refreshSeconds * 1000),
    );
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Never rejects: refreshNow() promises its callers that, and timers have no one to tell. */
  private async refresh(targets: readonly SourceState[]): Promise<ConfigRefreshOutcome> {
    if (this.stopped) return UNCHANGED;
    try {
      return await this.refreshSources(targets);
    } catch (error) {
      this.logger.error(`Refreshing the configuration failed unexpectedly: ${errorText(error)}`);
      return UNCHANGED;
    }
  }

  private async refreshSources(targets: readonly SourceState[]): Promise<ConfigRefreshOutcome> {
    this.lastRefreshStartedAt = this.scheduler.now();
    const read = new Map<SourceState, SecretSnapshot>();
    for (const state of targets) {
      try {
        read.set(state, await state.source.read());
      } catch (error) {
        this.markFailed(state, errorText(error));
      }
    }
    if (read.size === 0) return UNCHANGED;

    let composed: ReturnType<ConfigSources['compose']>;
    try {
      composed = this.compose(this.states.map((s) => read.get(s) ?? s.snapshot));
    } catch (error) {
      const problems =
        error instanceof ConfigurationError ? error.problems.join('; ') : errorText(error);
      for (const state of read.keys()) {
        this.markFailed(state, `its current values make the configuration invalid: ${problems}`);
      }
      return UNCHANGED;
    }

    const now = new Date(this.scheduler.now());
    for (const [state, snapshot] of read) {
      state.snapshot = snapshot;
      state.lastRefreshAt = now;
      const detail = detailOf(state.source, snapshot);
      if (!state.healthy) {
        this.logger.log(`${state.source.describe()} is readable again (${detail})`);
      }
      state.healthy = true;
      state.detail = detail;
      state.failingSince = undefined;
      this.tellRefreshed({ source: state.source.name, ok: true });
      const ignored = (composed.ignored.get(state.source.name) ?? [])
        .map(describeIgnoredKey)
        .join(', ');
      if (ignored !== state.ignoredKeys && ignored !== '') {
        this.logger.warn?.(`${state.source.describe()}: ignored keys: ${ignored}`);
      }
      state.ignoredKeys = ignored;
    }

    const previous = this.config;
    const keys = changedKeys(this.merged.values, composed.merged.values);
    this.merged = composed.merged;
    this.parsed = composed.config;
    const graced = applyGoogleSecretGrace({
      previous,
      next: composed.config,
      grace: this.grace,
      now,
      graceSeconds: this.settings.googleSecretGraceSeconds,
    });
    const graceStarted = graced.grace !== undefined && graced.grace !== this.grace;
    this.grace = graced.grace;
    if (keys.length === 0) return UNCHANGED;

    const readFrom = [...read.entries()].map(
      ([s, snapshot]) => `${s.source.name} ${detailOf(s.source, snapshot)}`,
    );
    this.logger.log(`Configuration changed: ${keys.join(', ')} (read from ${readFrom.join('; ')})`);
    if (graceStarted && this.grace !== undefined) {
      this.logger.log(
        `GOOGLE_CLIENT_SECRET was rotated: the previous secret stays accepted until ${this.grace.until.toISOString()} (GOOGLE_SECRET_GRACE_SECONDS=${this.settings.googleSecretGraceSeconds})`,
      );
    }
    this.publish(graced.config);
    this.scheduleGraceEnd();
    return { changed: true, changedKeys: keys };
  }

  private scheduleGraceEnd(): void {
    this.timers.get('grace')?.cancel();
    this.timers.delete('grace');
    if (!this.running || this.grace === undefined) return;
    const inMs = Math.max(0, this.grace.until.getTime() - this.scheduler.now());
    this.timers.set(
      'grace',
      this.scheduler.setTimeout(() => {
        this.timers.delete('grace');
        const result = applyGoogleSecretGrace({
          previous: this.config,
          next: this.parsed,
          grace: this.grace,
          now: new Date(this.scheduler.now()),
          graceSeconds: this.settings.googleSecretGraceSeconds,
        });
        this.grace = result.grace;
        if (
          result.grace === undefined &&
          this.config.google.previousClientSecret !== result.config.google.previousClientSecret
        ) {
          this.logger.log(
            'The previous Google client secret is no longer accepted (its grace period ended)',
          );
          this.publish(result.config);
        } else {
          this.scheduleGraceEnd();
        }
      }, inMs),
    );
  }

  private publish(next: RelayConfig): void {
    this.config = next;
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch (error) {
        this.logger.error(`A configuration listener failed: ${errorText(error)}`);
      }
    }
  }

  private tellRefreshed(refresh: ConfigSourceRefresh): void {
    for (const listener of this.refreshListeners) listener(refresh);
  }

  private markFailed(state: SourceState, reason: string): void {
    this.tellRefreshed({ source: state.source.name, ok: false });
    const wasHealthy = state.healthy;
    state.healthy = false;
    state.failingSince ??= new Date(this.scheduler.now());
    state.detail = `${reason}; serving the values read at ${state.lastRefreshAt.toISOString()}`;
    if (wasHealthy) {
      this.logger.error(
        `${state.source.describe()}: refresh failed, keeping the last good configuration (read at ${state.lastRefreshAt.toISOString()}): ${reason}`,
      );
    } else {
      this.logger.warn?.(`${state.source.describe()}: still failing: ${reason}`);
    }
  }

  /** Merges snapshots (in state order: Vault, then files) over the environment and parses. */
  private compose(snapshots: readonly SecretSnapshot[]): {
    config: RelayConfig;
    merged: MergedConfig;
    ignored: Map<ConfigSourceName, IgnoredKey[]>;
  } {
    const ignored = new Map<ConfigSourceName, IgnoredKey[]>();
    const layers = this.states.map((state, i) => {
      const mapped = configValuesOfSecret(snapshots[i].values);
      ignored.set(state.source.name, mapped.ignored);
      return { name: state.source.name, values: mapped.values };
    });
    const merged = mergeConfigSources(layers, this.env);
    try {
      return { config: parseRelayConfig(merged.values), merged, ignored };
    } catch (error) {
      if (!(error instanceof ConfigurationError) || this.states.length === 0) throw error;
      // Say where keys were looked for: a key missing from Vault otherwise reads like a typo
      // in the environment.
      throw new ConfigurationError([
        ...error.problems,
        `keys were read from ${describeProvenance(merged.provenance, this.labels())} (secret keys are the lower-case names, e.g. google_client_secret)`,
      ]);
    }
  }

  private labels(): Partial<Record<ConfigSourceName, string>> {
    const labels: Partial<Record<ConfigSourceName, string>> = {};
    for (const state of this.states)
      labels[state.source.name] = detailOf(state.source, state.snapshot);
    return labels;
  }

  private logSources(ignored: Map<ConfigSourceName, IgnoredKey[]>): void {
    for (const state of this.states) {
      const names = (ignored.get(state.source.name) ?? []).map(describeIgnoredKey).join(', ');
      state.ignoredKeys = names;
      if (names !== '') this.logger.warn?.(`${state.source.describe()}: ignored keys: ${names}`);
    }
    for (const key of this.merged.shadowedEnvKeys) {
      this.logger.log(
        `${key} is set in the environment too; the value from ${this.merged.provenance[key]} is used`,
      );
    }
    this.logger.log(
      `Configuration keys from ${describeProvenance(this.merged.provenance, this.labels())}`,
    );
  }
}

function initialState(
  source: Source,
  refreshSeconds: number,
  snapshot: SecretSnapshot,
  scheduler: Scheduler,
): SourceState {
  return {
    source,
    refreshSeconds,
    snapshot,
    healthy: true,
    detail: detailOf(source, snapshot),
    lastRefreshAt: new Date(scheduler.now()),
    ignoredKeys: '',
  };
}

function detailOf(source: Source, snapshot: SecretSnapshot): string {
  return snapshot.version === undefined ? source.label : `${source.label}, ${snapshot.version}`;
}

function sleep(scheduler: Scheduler, ms: number): Promise<void> {
  return new Promise((resolve) => scheduler.setTimeout(resolve, ms));
}
