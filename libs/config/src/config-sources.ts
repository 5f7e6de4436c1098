import {
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { composeConfig, labelsOf, type ComposedConfig } from './config-composition';
import {
  changedKeys,
  describeProvenance,
  type ConfigSourceName,
  type MergedConfig,
} from './config-merge';
import {
  SourceHealthRecord,
  type ConfigChange,
  type ConfigRefreshOutcome,
  type ConfigSourceHealth,
  type ConfigSourceRefresh,
  type RefreshScope,
} from './config-source-health';
import { ConfigurationError } from './configuration-error';
import { errorText } from './error-text';
import { GoogleSecretGracePeriod } from './google-secret-grace';
import { RefreshSchedule, UNCHANGED } from './refresh-schedule';
import type { RelayConfig } from './relay-config.schema';
import { realScheduler, type Scheduler } from './scheduler';
import { shareUnchanged } from './structural-sharing';
import { changedTenants } from './tenant-settings';
import { detailOf, type SecretSnapshot, type SecretSource } from './secret-source';
import { parseSecretSourceSettings, type SecretSourceSettings } from './secret-source.settings';
import { openSecretSources, type OpenedSources } from './source-opening';
import type { NodeVaultApiOptions } from './vault/node-vault.api';
import type { VaultApi } from './vault/vault-api';

export interface ConfigSourcesDeps {
  /** The secret-source settings, when already parsed (the secretSourcesConfig namespace). */
  readonly settings?: SecretSourceSettings;
  readonly logger?: LoggerService;
  readonly scheduler?: Scheduler;
  /** The Vault client; NodeVaultApi unless a spec substitutes one. */
  readonly createVaultApi?: (options: NodeVaultApiOptions) => VaultApi;
  /** Least time between two on-demand refreshes (refreshNow), in ms. */
  readonly refreshNowSpacingMs?: number;
}

/** A secret source, the reading in force and its health. */
interface SourceState {
  readonly source: SecretSource;
  snapshot: SecretSnapshot;
  readonly health: SourceHealthRecord;
}

/**
 * The relay's configuration sources (a Vault secret and each tenant's own, a secrets directory,
 * the environment) and the configuration merged from them: read once at start-up
 * (source-opening.ts; the app does not start without them), then refreshed periodically, each
 * source on its own, and on demand (refresh-schedule.ts). A source whose read fails, or whose
 * values would make the configuration invalid, keeps its last good values and is marked
 * unhealthy (config-source-health.ts), without holding back the others; a rotated Google secret
 * stays accepted for a while (google-secret-grace.ts). Each new configuration shares every part
 * that did not change with the previous one (structural-sharing.ts) and is published to onChange
 * listeners (RelayConfigStore).
 */
export class ConfigSources implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The configuration in force: the last good one, with any Google secret grace applied. */
  private config: RelayConfig;
  /** The configuration as parsed from the sources, before the grace. */
  private parsed: RelayConfig;
  private merged: MergedConfig;
  private readonly states: SourceState[];
  private readonly grace: GoogleSecretGracePeriod;
  private readonly schedule: RefreshSchedule<SourceState>;
  private readonly listeners = new Set<(next: RelayConfig, change: ConfigChange) => void>();
  private readonly refreshListeners = new Set<(refresh: ConfigSourceRefresh) => void>();

  private constructor(
    settings: SecretSourceSettings,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly opened: OpenedSources,
    private readonly logger: LoggerService,
    private readonly scheduler: Scheduler,
    refreshNowSpacingMs: number,
  ) {
    const composed = composeConfig(opened.sources, env);
    const at = new Date(scheduler.now());
    this.states = opened.sources.map(({ source, snapshot }) => ({
      source,
      snapshot,
      health: new SourceHealthRecord(source, snapshot, at, logger),
    }));
    this.merged = composed.merged;
    this.parsed = composed.config;
    this.config = composed.config;
    this.grace = new GoogleSecretGracePeriod(settings.googleSecretGraceSeconds, logger);
    this.schedule = new RefreshSchedule(scheduler, refreshNowSpacingMs, (targets) =>
      this.refresh(targets),
    );
    this.logStartup(composed);
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
    const settings = deps.settings ?? parseSecretSourceSettings(env);
    for (const warning of settings.warnings) logger.warn?.(warning);
    const opened = await openSecretSources(settings, {
      logger,
      scheduler,
      createVaultApi: deps.createVaultApi,
    });
    try {
      return new ConfigSources(
        settings,
        env,
        opened,
        logger,
        scheduler,
        deps.refreshNowSpacingMs ?? 1000,
      );
    } catch (error) {
      // Not starting: the relay's own Vault login must not outlive it.
      await opened.stop();
      throw error;
    }
  }

  /** The configuration in force (the last good one). */
  current(): RelayConfig {
    return this.config;
  }

  /** Told of each new configuration in force, and what changed. */
  onChange(listener: (next: RelayConfig, change: ConfigChange) => void): () => void {
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
      ...this.states.map((s) => s.health.health()),
      { name: 'env', healthy: true, detail: 'process environment' },
    ];
  }

  /**
   * Re-reads the secret sources now (e.g. when Graph rejects the current credentials) and
   * resolves once done; never rejects (a failure shows in health() and the log). With a tenant:
   * that tenant's own secret only (TENANT_<NAME>_VAULT_SECRET_PATH), or, when it has none, the
   * relay's secret sources (where its keys live), never another tenant's. Calls while a refresh
   * waits to start share it; refreshes are at least refreshNowSpacingMs apart, so a burst of
   * failing requests cannot flood Vault.
   */
  refreshNow(scope: RefreshScope = {}): Promise<ConfigRefreshOutcome> {
    if (scope.tenant === undefined) return this.schedule.now(this.states);
    const own = this.states.filter((s) => s.source.tenant === scope.tenant);
    return this.schedule.now(
      own.length > 0 ? own : this.states.filter((s) => s.source.tenant === undefined),
    );
  }

  onApplicationBootstrap(): void {
    this.opened.start();
    this.schedule.start();
    for (const state of this.states) {
      this.schedule.every(state.source.name, state, state.source.refreshSeconds);
    }
    this.scheduleGraceEnd();
  }

  async onApplicationShutdown(): Promise<void> {
    this.schedule.stop();
    await this.opened.stop();
  }

  /** Never rejects: refreshNow() promises its callers that, and timers have no one to tell. */
  private async refresh(targets: readonly SourceState[]): Promise<ConfigRefreshOutcome> {
    try {
      return await this.refreshSources(targets);
    } catch (error) {
      this.logger.error(`Refreshing the configuration failed unexpectedly: ${errorText(error)}`);
      return UNCHANGED;
    }
  }

  private async refreshSources(targets: readonly SourceState[]): Promise<ConfigRefreshOutcome> {
    const read = new Map<SourceState, SecretSnapshot>();
    for (const state of targets) {
      try {
        read.set(state, await state.source.read());
      } catch (error) {
        this.failed(state, errorText(error));
      }
    }
    if (read.size === 0) return UNCHANGED;

    // Each source's new values are taken on their own: a source whose values would make the
    // configuration invalid (a tenant's owners wrote a bad key) keeps its last good values and
    // holds back no other source read in the same refresh.
    const accepted = new Map<SourceState, SecretSnapshot>();
    let composed: ComposedConfig | undefined;
    for (const [state, snapshot] of read) {
      const trial = new Map(accepted).set(state, snapshot);
      try {
        composed = composeConfig(
          this.states.map((s) => ({ source: s.source, snapshot: trial.get(s) ?? s.snapshot })),
          this.env,
        );
        accepted.set(state, snapshot);
      } catch (error) {
        const problems =
          error instanceof ConfigurationError ? error.problems.join('; ') : errorText(error);
        this.failed(state, `its current values make the configuration invalid: ${problems}`);
      }
    }
    if (composed === undefined) return UNCHANGED;

    const now = new Date(this.scheduler.now());
    for (const [state, snapshot] of accepted) {
      state.snapshot = snapshot;
      state.health.read(snapshot, now);
      this.tellRefreshed({ source: state.source.name, ok: true });
      state.health.ignored(composed.ignored.get(state.source.name) ?? []);
    }

    const keys = changedKeys(this.merged.values, composed.merged.values);
    this.merged = composed.merged;
    this.parsed = composed.config;
    if (keys.length > 0) {
      const readFrom = [...accepted.keys()].map(
        (s) => `${s.source.name} ${detailOf(s.source, s.snapshot)}`,
      );
      this.logger.log(
        `Configuration changed: ${keys.join(', ')} (read from ${readFrom.join('; ')})`,
      );
    }
    const graced = this.grace.apply(this.config, composed.config, now);
    if (keys.length === 0) return UNCHANGED;
    this.publish(graced, keys);
    this.scheduleGraceEnd();
    return { changed: true, changedKeys: keys };
  }

  private scheduleGraceEnd(): void {
    const endsAt = this.grace.endsAt();
    this.schedule.at(
      'grace',
      endsAt === undefined ? undefined : endsAt.getTime() - this.scheduler.now(),
      () => {
        const next = this.grace.expire(this.config, this.parsed, new Date(this.scheduler.now()));
        if (next !== undefined) this.publish(next, []);
        else this.scheduleGraceEnd();
      },
    );
  }

  /** Publishes `next`, sharing every part that did not change with the configuration in force. */
  private publish(next: RelayConfig, keys: readonly string[]): void {
    const previous = this.config;
    const published = shareUnchanged(previous, next);
    const change: ConfigChange = {
      changedKeys: keys,
      changedTenants: changedTenants(previous.tenants, published.tenants),
    };
    this.config = published;
    for (const listener of this.listeners) {
      try {
        listener(published, change);
      } catch (error) {
        this.logger.error(`A configuration listener failed: ${errorText(error)}`);
      }
    }
  }

  private failed(state: SourceState, reason: string): void {
    this.tellRefreshed({ source: state.source.name, ok: false });
    state.health.failed(reason, new Date(this.scheduler.now()));
  }

  private tellRefreshed(refresh: ConfigSourceRefresh): void {
    for (const listener of this.refreshListeners) listener(refresh);
  }

  private logStartup(composed: ComposedConfig): void {
    for (const state of this.states) {
      state.health.ignored(composed.ignored.get(state.source.name) ?? []);
    }
    for (const key of this.merged.shadowedEnvKeys) {
      this.logger.log(
        `${key} is set in the environment too; the value from ${this.merged.provenance[key]} is used`,
      );
    }
    this.logger.log(
      `Configuration keys from ${describeProvenance(this.merged.provenance, labelsOf(this.states))}`,
    );
  }
}
