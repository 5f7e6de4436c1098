import type { ConfigSourceName } from '../config-merge';
import type { SecretSnapshot, SecretSource } from '../secret-source';
import type { VaultKvSettings } from '../secret-source.settings';
import type { VaultSession } from './vault-session';

/**
 * One KV secret, read through the relay's Vault session: the relay's own (`vault`) or a
 * tenant's (`vault:<tenant>`, TENANT_<NAME>_VAULT_SECRET_PATH).
 */
export class VaultKvSource implements SecretSource {
  readonly name: ConfigSourceName;
  readonly label: string;

  constructor(
    private readonly session: VaultSession,
    private readonly kv: VaultKvSettings,
    readonly refreshSeconds: number,
    readonly tenant?: string,
  ) {
    this.name = tenant === undefined ? 'vault' : `vault:${tenant}`;
    this.label = session.labelOf(kv);
  }

  describe(): string {
    const described = this.session.describe(this.kv);
    return this.tenant === undefined ? described : `${described} (tenant ${this.tenant})`;
  }

  read(): Promise<SecretSnapshot> {
    return this.session.read(this.kv);
  }
}
