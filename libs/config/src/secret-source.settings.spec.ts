import { ConfigurationError } from './configuration-error';
import { parseSecretSourceSettings } from './secret-source.settings';
import { splitTenantKey } from './tenant-keys';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseSecretSourceSettings(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

const VAULT = { VAULT_ADDR: 'https://vault.example.com:8200', VAULT_SECRET_PATH: 'calendar-relay' };

describe('parseSecretSourceSettings', () => {
  it('uses no source besides the environment by default', () => {
    expect(parseSecretSourceSettings({})).toEqual({
      vault: undefined,
      secretsDir: undefined,
      googleSecretGraceSeconds: 3600,
      warnings: [],
    });
  });

  it('reads a token-auth Vault source with the documented defaults', () => {
    expect(parseSecretSourceSettings({ ...VAULT, VAULT_TOKEN: 's.token' }).vault).toEqual({
      address: 'https://vault.example.com:8200',
      namespace: undefined,
      caCertFile: undefined,
      auth: { method: 'token', token: 's.token' },
      kv: { mount: 'secret', path: 'calendar-relay', version: 2 },
      tenantSecrets: [],
      refreshSeconds: 300,
      startup: { attempts: 5, firstBackoffMs: 1000 },
      requestTimeoutMs: 10000,
    });
  });

  it('reads AppRole with a secret-id file and Kubernetes with the standard token path', () => {
    expect(
      parseSecretSourceSettings({
        ...VAULT,
        VAULT_AUTH: 'AppRole',
        VAULT_ROLE_ID: 'role-1',
        VAULT_SECRET_ID_FILE: '/etc/approle/secret-id',
      }).vault?.auth,
    ).toEqual({
      method: 'approle',
      mount: 'approle',
      roleId: 'role-1',
      secretId: undefined,
      secretIdFile: '/etc/approle/secret-id',
    });
    expect(
      parseSecretSourceSettings({
        ...VAULT,
        VAULT_AUTH: 'kubernetes',
        VAULT_K8S_ROLE: 'relay',
        VAULT_K8S_MOUNT: '/k8s-prod/',
      }).vault?.auth,
    ).toEqual({
      method: 'kubernetes',
      mount: 'k8s-prod',
      role: 'relay',
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    });
  });

  it('names what each auth method lacks', () => {
    expect(problemsOf(VAULT)).toEqual([
      'VAULT_TOKEN is required when VAULT_AUTH is token (the default)',
    ]);
    expect(problemsOf({ ...VAULT, VAULT_AUTH: 'approle' })).toEqual([
      'VAULT_ROLE_ID is required when VAULT_AUTH is approle',
    ]);
    expect(
      problemsOf({
        ...VAULT,
        VAULT_AUTH: 'approle',
        VAULT_ROLE_ID: 'r',
        VAULT_SECRET_ID: 's',
        VAULT_SECRET_ID_FILE: '/f',
      }),
    ).toEqual(['VAULT_SECRET_ID and VAULT_SECRET_ID_FILE are both set: set only one']);
    expect(problemsOf({ ...VAULT, VAULT_AUTH: 'kubernetes' })).toEqual([
      'VAULT_K8S_ROLE is required when VAULT_AUTH is kubernetes (the Vault role name)',
    ]);
    expect(problemsOf({ ...VAULT, VAULT_AUTH: 'ldap' })).toEqual([
      'VAULT_AUTH must be one of token, approle, kubernetes',
    ]);
  });

  it('requires the secret path and points out the API-path mistake', () => {
    expect(problemsOf({ VAULT_ADDR: VAULT.VAULT_ADDR, VAULT_TOKEN: 't' })).toEqual([
      'VAULT_SECRET_PATH is required when VAULT_ADDR is set (the secret path inside VAULT_KV_MOUNT, e.g. calendar-relay)',
    ]);
    expect(
      problemsOf({ ...VAULT, VAULT_TOKEN: 't', VAULT_SECRET_PATH: 'secret/data/calendar-relay' }),
    ).toEqual([
      'VAULT_SECRET_PATH is the path inside VAULT_KV_MOUNT (secret): write calendar-relay, not the API path secret/data/calendar-relay',
    ]);
    expect(problemsOf({ ...VAULT, VAULT_TOKEN: 't', VAULT_SECRET_PATH: 'a/../b' })[0]).toMatch(
      /^VAULT_SECRET_PATH must be a Vault path/,
    );
  });

  it('validates the address, numbers and KV version in one go', () => {
    expect(
      problemsOf({
        VAULT_ADDR: 'vault:8200/v1',
        VAULT_REFRESH_SECONDS: 'often',
        VAULT_KV_VERSION: '3',
        GOOGLE_SECRET_GRACE_SECONDS: '-1',
      }),
    ).toEqual([
      'VAULT_ADDR must use https:// (or http:// for a local dev server)',
      'VAULT_KV_VERSION must be one of 1, 2',
      'VAULT_REFRESH_SECONDS must be an integer 0..86400 (seconds between re-reads of the secret; 0: never)',
      'GOOGLE_SECRET_GRACE_SECONDS must be an integer 0..604800 (how long a rotated-out Google client secret keeps working; 0: not at all)',
    ]);
    expect(
      problemsOf({ ...VAULT, VAULT_ADDR: 'https://vault.example.com/v1', VAULT_TOKEN: 't' }),
    ).toEqual([
      'VAULT_ADDR must be the server address only (scheme, host, port), without a path such as /v1',
    ]);
  });

  it('warns about Vault settings that do nothing without VAULT_ADDR, and about http to another host', () => {
    expect(
      parseSecretSourceSettings({ VAULT_TOKEN: 't', VAULT_SECRET_PATH: 'x' }).warnings,
    ).toEqual(['VAULT_TOKEN, VAULT_SECRET_PATH are set but VAULT_ADDR is not: Vault is not used']);
    expect(
      parseSecretSourceSettings({
        ...VAULT,
        VAULT_ADDR: 'http://vault.internal:8200',
        VAULT_TOKEN: 't',
      }).warnings,
    ).toEqual([
      'VAULT_ADDR uses http:// to vault.internal: the Vault token and the secrets cross the network unencrypted',
    ]);
    expect(
      parseSecretSourceSettings({ ...VAULT, VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 't' })
        .warnings,
    ).toEqual([]);
  });

  it('reads SECRETS_DIR with its refresh interval', () => {
    expect(parseSecretSourceSettings({ SECRETS_DIR: '/vault/secrets' }).secretsDir).toEqual({
      path: '/vault/secrets',
      refreshSeconds: 60,
    });
  });
});

describe('TENANT_<NAME>_VAULT_SECRET_PATH', () => {
  const WITH_TENANTS = {
    VAULT_ADDR: 'https://vault.example.com:8200',
    VAULT_TOKEN: 's.token',
    VAULT_SECRET_PATH: 'calendar-relay',
    TENANTS: 'contoso,fabrikam-eu',
  };

  function problems(env: Record<string, string>): readonly string[] {
    try {
      parseSecretSourceSettings(env);
    } catch (error) {
      if (error instanceof ConfigurationError) return error.problems;
      throw error;
    }
    return [];
  }

  it("reads each tenant's own secret through the relay's mount, in TENANTS order", () => {
    const settings = parseSecretSourceSettings({
      ...WITH_TENANTS,
      TENANT_FABRIKAM_EU_VAULT_SECRET_PATH: 'calendar-relay/tenants/fabrikam-eu',
      TENANT_CONTOSO_VAULT_SECRET_PATH: '/calendar-relay/tenants/contoso/',
    });
    expect(settings.vault?.tenantSecrets).toEqual([
      {
        tenant: 'contoso',
        kv: { mount: 'secret', path: 'calendar-relay/tenants/contoso', version: 2 },
      },
      {
        tenant: 'fabrikam-eu',
        kv: { mount: 'secret', path: 'calendar-relay/tenants/fabrikam-eu', version: 2 },
      },
    ]);
  });

  it('names each mistake in one line', () => {
    expect(problems({ ...WITH_TENANTS, TENANT_NORTHWIND_VAULT_SECRET_PATH: 'x' })).toEqual([
      'TENANT_NORTHWIND_VAULT_SECRET_PATH is set, but TENANTS (contoso,fabrikam-eu) does not name northwind',
    ]);
    expect(
      problems({ TENANTS: 'contoso', TENANT_CONTOSO_VAULT_SECRET_PATH: 'calendar-relay/contoso' }),
    ).toEqual([
      "TENANT_CONTOSO_VAULT_SECRET_PATH is set, but VAULT_ADDR is not (a tenant's own secret is read from the relay's Vault, with its login)",
    ]);
    expect(
      problems({ ...WITH_TENANTS, TENANT_CONTOSO_VAULT_SECRET_PATH: 'secret/data/contoso' }),
    ).toEqual([
      'TENANT_CONTOSO_VAULT_SECRET_PATH is the path inside VAULT_KV_MOUNT (secret): write contoso, not the API path secret/data/contoso',
    ]);
    expect(problems({ ...WITH_TENANTS, TENANT_CONTOSO_VAULT_SECRET_PATH: 'a/../b' })).toEqual([
      "TENANT_CONTOSO_VAULT_SECRET_PATH must be a Vault path of letters, digits and . _ - @ + = , ~ separated by / (the tenant's own secret, a path inside VAULT_KV_MOUNT)",
    ]);
  });

  it('is a key of its tenant, told apart from the tenant keys by its suffix', () => {
    expect(splitTenantKey('TENANT_A_B_VAULT_SECRET_PATH')).toEqual({
      prefix: 'A_B',
      suffix: 'VAULT_SECRET_PATH',
    });
    expect(splitTenantKey('TENANT_X_GOOGLE_CLIENT_SECRET_PREVIOUS')).toEqual({
      prefix: 'X',
      suffix: 'GOOGLE_CLIENT_SECRET_PREVIOUS',
    });
    expect(splitTenantKey('TENANT_ID')).toBeUndefined();
    expect(splitTenantKey('TENANT_DOMAINS')).toBeUndefined();
  });
});
