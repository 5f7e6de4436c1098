import type { ConfigSourceName } from './config-merge';

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

/** One source's read during a refresh (periodic or on demand), for metrics. */
export interface ConfigSourceRefresh {
  readonly source: ConfigSourceName;
  /** False when the read failed or its values would make the configuration invalid. */
  readonly ok: boolean;
}
