/**
 * The few Vault HTTP API calls the relay makes, as plain typed data. NodeVaultApi implements it
 * over node-vault; the source logic (VaultSecretSource) only sees this interface.
 */

export interface VaultTokenInfo {
  /** False for a token without a TTL (Vault reports TTL 0 for those, e.g. a root token). */
  readonly expires: boolean;
  /** Seconds left. */
  readonly ttlSeconds: number;
  readonly renewable: boolean;
}

export interface VaultLogin extends VaultTokenInfo {
  readonly token: string;
}

export interface VaultKvSecret {
  readonly data: Readonly<Record<string, unknown>>;
  /** KV v2's version number of the secret; undefined for KV v1. */
  readonly version?: number;
}

export interface VaultApi {
  /** The token sent with every request (X-Vault-Token); login methods set it. */
  setToken(token: string | undefined): void;
  loginAppRole(mount: string, roleId: string, secretId: string | undefined): Promise<VaultLogin>;
  loginKubernetes(mount: string, role: string, jwt: string): Promise<VaultLogin>;
  lookupSelf(): Promise<VaultTokenInfo>;
  renewSelf(): Promise<VaultTokenInfo>;
  revokeSelf(): Promise<void>;
  readKv(mount: string, path: string, version: 1 | 2): Promise<VaultKvSecret>;
}

/**
 * A failed Vault request, described for an operator: the request line (never a token or body),
 * the HTTP status when Vault answered, and Vault's own reason or the network error.
 */
export class VaultRequestError extends Error {
  constructor(
    /** e.g. `GET /v1/secret/data/calendar-relay` */
    readonly request: string,
    /** undefined when no HTTP answer came (connection refused, timeout, TLS). */
    readonly status: number | undefined,
    readonly reason: string,
  ) {
    super(
      status === undefined
        ? `${request}: ${reason}`
        : `${request}: HTTP ${status} ${reason}`.trimEnd(),
    );
    this.name = 'VaultRequestError';
  }
}
