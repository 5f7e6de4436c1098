import type { LoggerService } from '@nestjs/common';
import { errorText } from '../error-text';
import { realScheduler, type Scheduler } from '../scheduler';
import { readSecretFile } from '../secret-files';
import type { SecretSnapshot } from '../secret-source';
import {
  describeVaultSecret,
  type VaultKvSettings,
  type VaultSettings,
} from '../secret-source.settings';
import { planTokenRenewal, type TokenLease } from './token-renewal';
import { VaultRequestError, type VaultApi, type VaultTokenInfo } from './vault-api';

export interface VaultSessionDeps {
  readonly api: VaultApi;
  readonly logger: LoggerService;
  readonly scheduler?: Scheduler;
  /** Reads VAULT_SECRET_ID_FILE / VAULT_K8S_TOKEN_FILE (trailing newline dropped, empty refused). */
  readonly readSecretFile?: (file: string, what: string) => Promise<string>;
}

interface HeldToken {
  readonly lease: TokenLease;
  /** When `lease.ttlSeconds` was measured. */
  readonly at: number;
  /** Obtained by our own login (ours to revoke at shutdown), not the operator's VAULT_TOKEN. */
  readonly fromLogin: boolean;
}

/**
 * The relay's login to Vault and its KV reads: logs in (AppRole, Kubernetes) or uses
 * VAULT_TOKEN, renews the token before it expires, logs in again when a renewal is refused or
 * Vault no longer knows the token, and revokes its own login token at shutdown. Every KV secret
 * the relay reads (VaultKvSource) goes through the one session. Errors are VaultRequestError or
 * file errors, each naming what failed; this class neither retries at start-up nor decides
 * health (source-opening.ts and ConfigSources do).
 */
export class VaultSession {
  private token?: HeldToken;
  private renewal?: { cancel(): void };
  private running = false;
  private stopped = false;
  private readonly api: VaultApi;
  private readonly logger: LoggerService;
  private readonly scheduler: Scheduler;
  private readonly readFile: (file: string, what: string) => Promise<string>;

  constructor(
    private readonly settings: VaultSettings,
    deps: VaultSessionDeps,
  ) {
    this.api = deps.api;
    this.logger = deps.logger;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.readFile = deps.readSecretFile ?? readSecretFile;
  }

  /** How operators know a secret: `secret/data/calendar-relay at https://vault:8200`. */
  labelOf(kv: VaultKvSettings): string {
    return `${describeVaultSecret(kv)} at ${this.settings.address}`;
  }

  /** For error messages: address, secret and auth method, never a credential. */
  describe(kv: VaultKvSettings): string {
    return `Vault ${this.settings.address}, secret ${describeVaultSecret(kv)}, auth ${this.settings.auth.method}`;
  }

  async read(kv: VaultKvSettings): Promise<SecretSnapshot> {
    // After shutdown a read would log in again and leave a token behind in Vault.
    if (this.stopped) throw new Error('the Vault source is stopped');
    await this.ensureToken();
    const { mount, path, version } = kv;
    try {
      return snapshotOf(await this.api.readKv(mount, path, version));
    } catch (error) {
      // 403 after a login usually means the token expired or was revoked (the process was
      // suspended past its TTL, Vault lost its token store): a fresh login settles it.
      if (!isForbidden(error) || !this.canLogin() || this.token === undefined || this.stopped) {
        throw error;
      }
      this.logger.warn?.(`Vault refused the relay's token (${errorText(error)}); logging in again`);
      await this.login();
      return snapshotOf(await this.api.readKv(mount, path, version));
    }
  }

  /** Starts renewing the token (called once the app has bootstrapped). */
  start(): void {
    this.running = true;
    this.scheduleRenewal();
  }

  /** Stops renewing and revokes a token this source logged in for (best effort). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.renewal?.cancel();
    this.renewal = undefined;
    if (this.token?.fromLogin) {
      this.token = undefined;
      try {
        await this.api.revokeSelf();
      } catch (error) {
        this.logger.warn?.(
          `Could not revoke the relay's Vault token at shutdown: ${errorText(error)}`,
        );
      }
      this.api.setToken(undefined);
    }
  }

  private canLogin(): boolean {
    return this.settings.auth.method !== 'token';
  }

  private async ensureToken(): Promise<void> {
    if (this.token !== undefined) return;
    const auth = this.settings.auth;
    if (auth.method !== 'token') {
      await this.login();
      return;
    }
    this.api.setToken(auth.token);
    let info: VaultTokenInfo;
    try {
      info = await this.api.lookupSelf();
    } catch (error) {
      // A token without the default policy may not look itself up and still read the secret;
      // reading tells whether it works. Renewal is then off: without a TTL there is no schedule.
      if (!(error instanceof VaultRequestError) || error.status === undefined) throw error;
      this.logger.warn?.(
        `Could not look up VAULT_TOKEN's TTL (${errorText(error)}); it will not be renewed`,
      );
      info = { expires: false, ttlSeconds: 0, renewable: false };
    }
    this.hold(info, false);
  }

  private async login(): Promise<void> {
    const auth = this.settings.auth;
    this.token = undefined;
    this.api.setToken(undefined);
    let info: VaultTokenInfo;
    switch (auth.method) {
      case 'token':
        throw new Error('a VAULT_TOKEN cannot log in again');
      case 'approle': {
        const secretId =
          auth.secretIdFile !== undefined
            ? await this.readFile(auth.secretIdFile, 'VAULT_SECRET_ID_FILE')
            : auth.secretId;
        info = await this.api.loginAppRole(auth.mount, auth.roleId, secretId);
        break;
      }
      case 'kubernetes': {
        const jwt = await this.readFile(auth.tokenFile, 'VAULT_K8S_TOKEN_FILE');
        info = await this.api.loginKubernetes(auth.mount, auth.role, jwt);
        break;
      }
    }
    this.logger.log(
      `Logged in to Vault ${this.settings.address} with ${auth.method}` +
        (info.expires ? ` (token TTL ${info.ttlSeconds} s)` : ''),
    );
    this.hold(info, true);
  }

  private hold(info: VaultTokenInfo, fromLogin: boolean, granted?: number): void {
    this.token = {
      lease: {
        expires: info.expires,
        ttlSeconds: info.ttlSeconds,
        renewable: info.renewable,
        grantedTtlSeconds: granted ?? info.ttlSeconds,
      },
      at: this.scheduler.now(),
      fromLogin,
    };
    this.scheduleRenewal();
  }

  private scheduleRenewal(): void {
    this.renewal?.cancel();
    this.renewal = undefined;
    if (!this.running || this.token === undefined) return;
    const plan = planTokenRenewal(this.token.lease, this.settings.auth.method);
    switch (plan.action) {
      case 'none':
        return;
      case 'expires':
        this.logger.warn?.(
          `VAULT_TOKEN cannot be renewed (further) and expires in ${this.token.lease.ttlSeconds} s; with VAULT_AUTH=token the relay cannot log in by itself`,
        );
        return;
      case 'renew':
        this.renewal = this.scheduler.setTimeout(() => void this.renew(), plan.inMs);
        return;
      case 'login':
        this.renewal = this.scheduler.setTimeout(() => void this.loginAgain(), plan.inMs);
        return;
    }
  }

  private async renew(): Promise<void> {
    const held = this.token;
    if (!this.running || held === undefined) return;
    try {
      const info = await this.api.renewSelf();
      if (!this.running) return;
      this.logger.debug?.(`Renewed the relay's Vault token (TTL ${info.ttlSeconds} s)`);
      this.hold(info, held.fromLogin, held.lease.grantedTtlSeconds);
    } catch (error) {
      if (!this.running) return;
      if (this.canLogin()) {
        this.logger.warn?.(
          `Renewing the relay's Vault token failed (${errorText(error)}); logging in again`,
        );
        await this.loginAgain();
        return;
      }
      const left = remainingSeconds(held, this.scheduler.now());
      this.logger.error(
        `Renewing VAULT_TOKEN failed (${errorText(error)}); it expires in about ${left} s unless renewed`,
      );
      if (left > 3) {
        // Retry halfway to expiry: a Vault that was briefly down may answer then.
        this.token = {
          ...held,
          lease: { ...held.lease, ttlSeconds: left },
          at: this.scheduler.now(),
        };
        this.renewal = this.scheduler.setTimeout(() => void this.renew(), (left / 2) * 1000);
      }
    }
  }

  private async loginAgain(): Promise<void> {
    if (!this.running) return;
    try {
      await this.login();
    } catch (error) {
      if (!this.running) return;
      this.logger.error(`Logging in to Vault again failed: ${errorText(error)}; retrying in 30 s`);
      this.renewal = this.scheduler.setTimeout(() => void this.loginAgain(), 30_000);
    }
  }
}

function snapshotOf(secret: {
  data: Readonly<Record<string, unknown>>;
  version?: number;
}): SecretSnapshot {
  return {
    values: secret.data,
    version: secret.version === undefined ? undefined : `version ${secret.version}`,
  };
}

function remainingSeconds(held: HeldToken, now: number): number {
  return Math.max(0, Math.floor(held.lease.ttlSeconds - (now - held.at) / 1000));
}

function isForbidden(error: unknown): boolean {
  return error instanceof VaultRequestError && error.status === 403;
}
