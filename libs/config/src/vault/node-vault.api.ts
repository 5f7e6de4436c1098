import NodeVault from 'node-vault';
import {
  VaultRequestError,
  type VaultApi,
  type VaultKvSecret,
  type VaultLogin,
  type VaultTokenInfo,
} from './vault-api';

/**
 * VaultApi over node-vault 0.12 (CommonJS, `export =`, bundled typings whose responses are
 * `any`): this adapter only moves data, narrowing each response to the fields it needs and each
 * failure to a VaultRequestError.
 *
 * node-vault quirks handled here:
 * - Its endpoint, token and namespace fall back to process.env (VAULT_ADDR, VAULT_TOKEN,
 *   VAULT_NAMESPACE) when not given: all three are set explicitly so the settings parsed at
 *   start-up are the only ones used.
 * - It turns TLS verification off when VAULT_SKIP_VERIFY is set in the environment; the relay
 *   always verifies (strictSSL) and trusts VAULT_CACERT instead.
 * - Its HTTP client (axios) has no timeout by default: a Vault that accepts connections but never
 *   answers would hang start-up, so every request carries `timeout`.
 */

export interface NodeVaultApiOptions {
  readonly address: string;
  readonly namespace?: string;
  /** PEM of the CA that signed Vault's certificate (VAULT_CACERT); replaces the default CAs. */
  readonly caCert?: string;
  readonly timeoutMs: number;
}

/** The client fields node-vault has but its typings leave out. */
type NodeVaultClient = NodeVault.client & { namespace?: string };

export class NodeVaultApi implements VaultApi {
  private readonly client: NodeVaultClient;

  constructor(private readonly options: NodeVaultApiOptions) {
    this.client = NodeVault({
      apiVersion: 'v1',
      endpoint: options.address,
      token: undefined,
      requestOptions: {
        strictSSL: true,
        timeout: options.timeoutMs,
        ...(options.caCert === undefined ? {} : { ca: options.caCert }),
      },
    });
    this.client.token = '';
    this.client.namespace = options.namespace ?? '';
  }

  setToken(token: string | undefined): void {
    this.client.token = token ?? '';
  }

  async loginAppRole(
    mount: string,
    roleId: string,
    secretId: string | undefined,
  ): Promise<VaultLogin> {
    const body = await this.call('POST', `auth/${mount}/login`, () =>
      this.client.approleLogin({
        mount_point: mount,
        role_id: roleId,
        ...(secretId === undefined ? {} : { secret_id: secretId }),
      }),
    );
    return this.loginOf(body, `POST /v1/auth/${mount}/login`);
  }

  async loginKubernetes(mount: string, role: string, jwt: string): Promise<VaultLogin> {
    const body = await this.call('POST', `auth/${mount}/login`, () =>
      this.client.kubernetesLogin({ mount_point: mount, role, jwt }),
    );
    return this.loginOf(body, `POST /v1/auth/${mount}/login`);
  }

  async lookupSelf(): Promise<VaultTokenInfo> {
    const body = await this.call('GET', 'auth/token/lookup-self', () =>
      this.client.tokenLookupSelf(),
    );
    const data = record(record(body).data);
    const ttlSeconds = numberOr(data.ttl, 0);
    return { expires: ttlSeconds > 0, ttlSeconds, renewable: data.renewable === true };
  }

  async renewSelf(): Promise<VaultTokenInfo> {
    const body = await this.call('POST', 'auth/token/renew-self', () =>
      this.client.tokenRenewSelf(),
    );
    const auth = record(record(body).auth);
    // A renewed token has a TTL; 0 here means it is about to expire, not that it never will.
    return {
      expires: true,
      ttlSeconds: numberOr(auth.lease_duration, 0),
      renewable: auth.renewable === true,
    };
  }

  async revokeSelf(): Promise<void> {
    await this.call('POST', 'auth/token/revoke-self', () => this.client.tokenRevokeSelf());
  }

  async readKv(mount: string, path: string, version: 1 | 2): Promise<VaultKvSecret> {
    const apiPath =
      version === 2 ? `${mount}/data/${encodePath(path)}` : `${mount}/${encodePath(path)}`;
    const body = record(await this.call('GET', apiPath, () => this.client.read(apiPath)));
    if (version === 1) return { data: record(body.data) };
    const payload = record(body.data);
    if (payload.data === null || typeof payload.data !== 'object') {
      // KV v2 answers 200 with data: null for a version that was deleted (not destroyed).
      throw new VaultRequestError(
        `GET /v1/${apiPath}`,
        200,
        'the current version of the secret is deleted',
      );
    }
    return {
      data: record(payload.data),
      version:
        typeof record(payload.metadata).version === 'number'
          ? (record(payload.metadata).version as number)
          : undefined,
    };
  }

  private loginOf(body: unknown, request: string): VaultLogin {
    const auth = record(record(body).auth);
    if (typeof auth.client_token !== 'string' || auth.client_token === '') {
      throw new VaultRequestError(request, 200, 'the answer holds no client token');
    }
    this.client.token = auth.client_token;
    const ttlSeconds = numberOr(auth.lease_duration, 0);
    return {
      token: auth.client_token,
      expires: ttlSeconds > 0,
      ttlSeconds,
      renewable: auth.renewable === true,
    };
  }

  private async call(
    method: string,
    apiPath: string,
    run: () => Promise<unknown>,
  ): Promise<unknown> {
    const request = `${method} /v1/${apiPath}`;
    try {
      return await run();
    } catch (error) {
      throw toVaultRequestError(request, error, this.options.timeoutMs);
    }
  }
}

/** Each segment percent-encoded: node-vault puts the path into the URL as it is. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

const STATUS_REASONS: Readonly<Record<number, string>> = {
  400: 'bad request',
  403: 'permission denied',
  404: 'not found',
  429: 'too many requests',
  500: 'internal error',
  501: 'not initialized',
  502: 'bad gateway',
  503: 'sealed or unavailable',
};

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** node-vault rejects with ApiResponseError (Vault answered) or the axios error (it did not). */
export function toVaultRequestError(
  request: string,
  error: unknown,
  timeoutMs: number,
): VaultRequestError {
  const e = record(error);
  const response = record(e.response);
  if (typeof response.statusCode === 'number') {
    const status = response.statusCode;
    const message = error instanceof Error ? error.message : '';
    // node-vault's message is Vault's first error text, or "Status <code>" when there was none.
    const reason =
      message !== '' && message !== `Status ${status}` ? message : (STATUS_REASONS[status] ?? '');
    return new VaultRequestError(request, status, oneLine(reason));
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  let reason: string;
  if (code === 'ECONNREFUSED') reason = 'connection refused';
  else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT')
    reason = `no answer within ${timeoutMs} ms`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'host not found';
  else if (code === 'ECONNRESET') reason = 'connection reset';
  else if (code !== undefined && TLS_CODES.has(code)) {
    reason = `TLS failed (${code}); VAULT_CACERT must name the CA of Vault's certificate`;
  } else reason = code ?? (error instanceof Error ? error.message : String(error));
  return new VaultRequestError(request, undefined, oneLine(reason));
}

/**
 * Vault joins several errors Go-multierror style ("1 error occurred:\n\t* permission denied\n\n"):
 * keep the errors themselves, on one line.
 */
function oneLine(text: string): string {
  const line = text
    .replace(/^\s*\d+ errors? occurred:\s*/, '')
    .split(/\n\s*\* /)
    .map((part) =>
      part
        .replace(/^\s*\*\s+/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((part) => part !== '')
    .join('; ');
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
