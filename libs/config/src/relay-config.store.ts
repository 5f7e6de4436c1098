import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { relayConfig } from './relay-config';
import type { RelayConfig } from './relay-config.schema';

export type RelayConfigListener = (next: RelayConfig, previous: RelayConfig) => void;

/**
 * The configuration currently in force. Start-up fills it from the validated `relayConfig`
 * namespace; a secret source that refreshes (Vault) replaces it with `update`, and consumers
 * that cache something derived from a secret (the token signer, the Graph credential) read
 * `current()` per use or subscribe with `onChange`. Non-secret settings never change at run time.
 */
@Injectable()
export class RelayConfigStore {
  private config: RelayConfig;
  private readonly listeners = new Set<RelayConfigListener>();

  constructor(@Inject(relayConfig.KEY) initial: ConfigType<typeof relayConfig>) {
    this.config = initial;
  }

  current(): RelayConfig {
    return this.config;
  }

  update(next: RelayConfig): void {
    const previous = this.config;
    this.config = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  onChange(listener: RelayConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
