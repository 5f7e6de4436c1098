import { readSecretsDirectory } from './secret-files';
import type { SecretSnapshot, SecretSource } from './secret-source';
import type { SecretsDirSettings } from './secret-source.settings';

/**
 * The directory of one file per key (SECRETS_DIR) that the Vault Agent injector or the Secrets
 * Store CSI driver keeps up to date; re-read periodically so their rotations are picked up.
 */
export class SecretsDirSource implements SecretSource {
  readonly name = 'files' as const;
  readonly label: string;
  readonly refreshSeconds: number;

  constructor(private readonly settings: SecretsDirSettings) {
    this.label = settings.path;
    this.refreshSeconds = settings.refreshSeconds;
  }

  describe(): string {
    return `SECRETS_DIR ${this.settings.path}`;
  }

  async read(): Promise<SecretSnapshot> {
    return { values: await readSecretsDirectory(this.settings.path) };
  }
}
