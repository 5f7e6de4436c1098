import { readSecretsDirectory } from './secret-files';
import type { SecretsDirSettings } from './secret-source.settings';
import type { SecretSnapshot } from './vault/vault-secret.source';

/**
 * The directory of one file per key (SECRETS_DIR) that the Vault Agent injector or the Secrets
 * Store CSI driver keeps up to date; re-read periodically so their rotations are picked up.
 */
export class SecretsDirSource {
  readonly name = 'files' as const;

  constructor(private readonly settings: SecretsDirSettings) {}

  get label(): string {
    return this.settings.path;
  }

  describe(): string {
    return `SECRETS_DIR ${this.settings.path}`;
  }

  async read(): Promise<SecretSnapshot> {
    return { values: await readSecretsDirectory(this.settings.path) };
  }
}
