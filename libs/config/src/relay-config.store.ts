import type {
  ConfigChange,
  ConfigRefreshOutcome,
  ConfigSourceHealth,
  ConfigSourceRefresh,
  RefreshScope,
} from './config-source-health';
import type { ConfigSources } from './config-sources';
import type { RelayConfig } from './relay-config.schema';
import { shareUnchanged } from './structural-sharing';
import { changedTenants } from './tenant-settings';

/**
 * Told of each new configuration in force. Parts that did not change are the previous
 * configuration's very objects (`next.tenants[i] === previous.tenants[i]`), and `change` names
 * the keys and tenants that did.
 */
export type RelayConfigListener = (
  next: RelayConfig,
  previous: RelayConfig,
  change: ConfigChange,
) => void;

/**
 * The configuration currently in force. Start-up fills it from the configuration the sources
 * validated (RelayConfigModule); the secret sources (Vault, SECRETS_DIR) replace it when a
 * refresh finds rotated values, and consumers that cache something derived from a secret (the
 * token signer, the Graph credential) read `current()` per use or subscribe with `onChange`.
 * Every field may change on a refresh; a consumer that reads a setting once at start-up keeps
 * that value until restart.
 *
 * Without `sources` (a spec, the CLI's Graph check) it holds one fixed configuration.
 */
export class RelayConfigStore {
  private config: RelayConfig;
  private readonly listeners = new Set<RelayConfigListener>();

  constructor(
    initial: RelayConfig,
    private readonly sources?: ConfigSources,
  ) {
    this.config = initial;
    sources?.onChange((next, change) => this.publish(next, change));
  }

  current(): RelayConfig {
    return this.config;
  }

  /** Puts `next` in force by hand (specs), sharing what did not change, and tells listeners. */
  update(next: RelayConfig): void {
    const previous = this.config;
    const shared = shareUnchanged(previous, next);
    this.publish(shared, {
      changedKeys: [],
      changedTenants: changedTenants(previous.tenants, shared.tenants),
    });
  }

  private publish(next: RelayConfig, change: ConfigChange): void {
    const previous = this.config;
    this.config = next;
    for (const listener of this.listeners) listener(next, previous, change);
  }

  onChange(listener: RelayConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Re-reads the secret sources now; call it when the current credentials are rejected (Graph
   * answers 401). Resolves after the store has been updated (listeners have run), with the names
   * of the keys that changed; never rejects: a failed read shows in sourceHealth() and the log.
   * Concurrent calls share one read, and reads are at least a second apart.
   */
  refreshNow(scope?: RefreshScope): Promise<ConfigRefreshOutcome> {
    return this.sources?.refreshNow(scope) ?? Promise.resolve({ changed: false, changedKeys: [] });
  }

  /** Told of every secret source read after start-up and whether it worked (for metrics). */
  onRefresh(listener: (refresh: ConfigSourceRefresh) => void): () => void {
    return this.sources?.onRefresh(listener) ?? (() => undefined);
  }

  /**
   * The state of each configuration source, for readiness: a source that failed its last
   * refresh is `healthy: false` (the relay still serves the last good values).
   */
  sourceHealth(): readonly ConfigSourceHealth[] {
    return (
      this.sources?.health() ?? [{ name: 'env', healthy: true, detail: 'process environment' }]
    );
  }
}
