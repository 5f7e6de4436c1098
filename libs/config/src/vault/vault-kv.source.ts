import type { ConfigSourceName } from '../config-merge';
import type { SecretSnapshot, SecretSource } from '../secret-source';
import type { VaultSettings } from '../secret-source.settings';
import type { VaultSession } from './vault-session';

/** One KV secret, read through the relay's Vault session. */
export class VaultKvSource implements SecretSource {
  readonly label: string;

  constructor(
    private readonly session: VaultSession,
    private readonly kv: VaultSettings['kv'],
    readonly name: ConfigSourceName,
    readonly refreshSeconds: number,
  ) {
    this.label = session.labelOf(kv);
  }

  describe(): string {
    return this.session.describe(this.kv);
  }

  read(): Promise<SecretSnapshot> {
    return this.session.read(this.kv);
  }
}
