import type { ConfigSourceName } from './config-merge';

/** What one read of a secret source returned. */
export interface SecretSnapshot {
  /** The secret's keys as stored (lower-case names) and their values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Shown in logs and health: e.g. `version 4`. */
  readonly version?: string;
}

/**
 * A place the relay's secrets are read from besides the environment: a Vault KV secret or a
 * directory of one file per key. The configuration sources only ever see this interface; how a
 * source logs in or lists files is its own business, and so is its lifecycle (see
 * source-opening.ts, which opens them and keeps the Vault login alive).
 */
export interface SecretSource {
  /** In health, metrics and provenance: `vault`, `files`, `vault:<tenant>`. */
  readonly name: ConfigSourceName;
  /**
   * Set for a tenant's own secret: it holds that tenant's keys only, unprefixed
   * (`graph_client_secret`), and anything else in it is refused. Unset: the relay's keys.
   */
  readonly tenant?: string;
  /** How operators know it: `secret/data/calendar-relay at https://vault:8200`, a directory. */
  readonly label: string;
  /** Seconds between periodic re-reads; 0: only on demand. */
  readonly refreshSeconds: number;
  /** For errors and log lines: what, where and how it is reached, never a credential. */
  describe(): string;
  /** Throws an Error naming what failed (request and status, or the file). */
  read(): Promise<SecretSnapshot>;
}

/** `label`, with the snapshot's version when the source has versions. */
export function detailOf(source: SecretSource, snapshot: SecretSnapshot): string {
  return snapshot.version === undefined ? source.label : `${source.label}, ${snapshot.version}`;
}
