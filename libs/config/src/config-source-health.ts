import type { LoggerService } from '@nestjs/common';
import { describeIgnoredKey, type ConfigSourceName, type IgnoredKey } from './config-merge';
import { detailOf, type SecretSnapshot, type SecretSource } from './secret-source';

/**
 * The state of one configuration source, for readiness checks and operators. A source that
 * fails after start-up is unhealthy while the relay keeps serving with the last good values.
 */
export interface ConfigSourceHealth {
  readonly name: ConfigSourceName;
  readonly healthy: boolean;
  /** What and where (`secret/data/calendar-relay at https://vault:8200, version 4`), or why not. */
  readonly detail?: string;
  /** Last successful read. */
  readonly lastRefreshAt?: Date;
  /** Set while unhealthy: when the failures began. */
  readonly failingSince?: Date;
}

/** What a refresh did. `changedKeys` names configuration keys (never values). */
export interface ConfigRefreshOutcome {
  readonly changed: boolean;
  readonly changedKeys: readonly string[];
}

/** What a new configuration in force changed, told to RelayConfigStore.onChange listeners. */
export interface ConfigChange {
  /** The configuration keys whose value changed (none when only a Google secret grace ended). */
  readonly changedKeys: readonly string[];
  /**
   * The tenants whose TenantSettings object is new (changed, added or removed); every other
   * tenant's object is the very one of the previous configuration.
   */
  readonly changedTenants: readonly string[];
}

/** Which sources an on-demand refresh reads. */
export interface RefreshScope {
  /** Only what holds this tenant's keys (its own secret, else the relay's secret sources). */
  readonly tenant?: string;
}

/** One source's read during a refresh (periodic or on demand), for metrics. */
export interface ConfigSourceRefresh {
  readonly source: ConfigSourceName;
  /** False when the read failed or its values would make the configuration invalid. */
  readonly ok: boolean;
}

/**
 * The health of one secret source as the relay tracks it, with the log lines an operator needs:
 * the first failure as an error (the last good values stay in force), repeats as warnings, the
 * recovery once; keys the source holds but the relay ignores, whenever that list changes.
 */
export class SourceHealthRecord {
  private healthy = true;
  private detail: string;
  private lastRefreshAt: Date;
  private failingSince?: Date;
  private ignoredKeys = '';

  constructor(
    private readonly source: SecretSource,
    snapshot: SecretSnapshot,
    at: Date,
    private readonly logger: LoggerService,
  ) {
    this.detail = detailOf(source, snapshot);
    this.lastRefreshAt = at;
  }

  /** A read whose values are now in force. */
  read(snapshot: SecretSnapshot, at: Date): void {
    const detail = detailOf(this.source, snapshot);
    if (!this.healthy) this.logger.log(`${this.source.describe()} is readable again (${detail})`);
    this.healthy = true;
    this.detail = detail;
    this.lastRefreshAt = at;
    this.failingSince = undefined;
  }

  /** A read that failed, or whose values would make the configuration invalid. */
  failed(reason: string, at: Date): void {
    const wasHealthy = this.healthy;
    const readAt = this.lastRefreshAt.toISOString();
    this.healthy = false;
    this.failingSince ??= at;
    this.detail = `${reason}; serving the values read at ${readAt}`;
    if (wasHealthy) {
      this.logger.error(
        `${this.source.describe()}: refresh failed, keeping the last good configuration (read at ${readAt}): ${reason}`,
      );
    } else {
      this.logger.warn?.(`${this.source.describe()}: still failing: ${reason}`);
    }
  }

  /** The keys of the source the relay does not read (names and why, never values). */
  ignored(keys: readonly IgnoredKey[]): void {
    const names = keys.map(describeIgnoredKey).join(', ');
    if (names !== this.ignoredKeys && names !== '') {
      this.logger.warn?.(`${this.source.describe()}: ignored keys: ${names}`);
    }
    this.ignoredKeys = names;
  }

  health(): ConfigSourceHealth {
    return {
      name: this.source.name,
      healthy: this.healthy,
      detail: this.detail,
      lastRefreshAt: this.lastRefreshAt,
      failingSince: this.failingSince,
    };
  }
}
