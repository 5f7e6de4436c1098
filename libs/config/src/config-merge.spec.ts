import {
  changedKeys,
  configValuesOfSecret,
  configValuesOfTenantSecret,
  describeIgnoredKey,
  describeProvenance,
  mergeConfigSources,
  SECRET_SOURCE_KEYS,
} from './config-merge';

describe('configValuesOfSecret', () => {
  it('maps lower-case secret keys to configuration keys and reports the rest by name', () => {
    const { values, ignored } = configValuesOfSecret({
      google_client_secret: 's3cret',
      event_details: true,
      cache_ttl_seconds: 30,
      GRAPH_CLIENT_SECRET: 'upper',
      google_client_secert: 'typo',
      port: '9000',
      vault_token: 'nested',
      graph_client_id: '   ',
      graph_authority: { nested: 'object' },
    });
    expect(values).toEqual({
      GOOGLE_CLIENT_SECRET: 's3cret',
      EVENT_DETAILS: 'true',
      CACHE_TTL_SECONDS: '30',
    });
    expect(ignored.map(describeIgnoredKey)).toEqual([
      'GRAPH_CLIENT_SECRET (keys are lower-case: graph_client_secret)',
      'google_client_secert (not a configuration key)',
      'port (a listener setting: set PORT in the environment)',
      'vault_token (configures the secret sources: set VAULT_TOKEN in the environment)',
      'graph_client_id (empty, treated as absent)',
      'graph_authority (not a text value)',
    ]);
  });

  it('never lets a secret source supply listener settings', () => {
    for (const key of [
      'PORT',
      'HOST',
      'LOG_LEVEL',
      'TLS_CERT_FILE',
      'TRUST_PROXY',
      'BODY_LIMIT_BYTES',
    ]) {
      expect(SECRET_SOURCE_KEYS).not.toContain(key);
    }
    expect(SECRET_SOURCE_KEYS).toEqual(
      expect.arrayContaining(['GOOGLE_CLIENT_SECRET', 'GRAPH_AUTHORITY', 'TOKEN_SIGNING_KEY']),
    );
  });
});

describe('mergeConfigSources', () => {
  const env = {
    GOOGLE_CLIENT_ID: 'env-id',
    GOOGLE_CLIENT_SECRET: 'env-secret',
    PORT: '9090',
    GRAPH_CLIENT_ID: '',
  };

  it('takes each key from the first source that has it: Vault, then files, then the environment', () => {
    const merged = mergeConfigSources(
      [
        { name: 'vault', values: { GOOGLE_CLIENT_SECRET: 'vault-secret' } },
        {
          name: 'files',
          values: { GOOGLE_CLIENT_SECRET: 'file-secret', GRAPH_CLIENT_SECRET: 'file-graph' },
        },
      ],
      env,
    );
    expect(merged.values).toEqual({
      GOOGLE_CLIENT_ID: 'env-id',
      GOOGLE_CLIENT_SECRET: 'vault-secret',
      GRAPH_CLIENT_SECRET: 'file-graph',
      PORT: '9090',
    });
    expect(merged.provenance).toEqual({
      GOOGLE_CLIENT_ID: 'env',
      GOOGLE_CLIENT_SECRET: 'vault',
      GRAPH_CLIENT_SECRET: 'files',
      PORT: 'env',
    });
    expect(merged.shadowedEnvKeys).toEqual(['GOOGLE_CLIENT_SECRET']);
  });

  it('ignores listener keys a source might carry', () => {
    expect(mergeConfigSources([{ name: 'vault', values: { PORT: '1' } }], env).values.PORT).toBe(
      '9090',
    );
  });

  it('describes provenance by key name only, grouped by source', () => {
    const merged = mergeConfigSources(
      [{ name: 'vault', values: { GOOGLE_CLIENT_SECRET: 'vault-secret' } }],
      env,
    );
    expect(describeProvenance(merged.provenance, { vault: 'secret/data/relay, version 2' })).toBe(
      'vault (secret/data/relay, version 2): GOOGLE_CLIENT_SECRET; env: PORT, GOOGLE_CLIENT_ID',
    );
    expect(describeProvenance({})).toBe('no keys set');
  });
});

describe('changedKeys', () => {
  it('names keys whose value or presence changed', () => {
    expect(changedKeys({ A: '1', B: '2', C: '3' }, { A: '1', B: 'x', D: '4' })).toEqual([
      'B',
      'C',
      'D',
    ]);
  });
});

describe("a tenant's own secret", () => {
  it('holds that tenant’s keys, unprefixed or prefixed, in lower case', () => {
    expect(
      configValuesOfTenantSecret(
        {
          graph_client_secret: 'g',
          tenant_fabrikam_eu_graph_client_id: 'app',
          domains: 'fabrikam.eu',
          graph_concurrency: 2,
          event_details: '',
        },
        'fabrikam-eu',
      ),
    ).toEqual({
      values: {
        TENANT_FABRIKAM_EU_GRAPH_CLIENT_SECRET: 'g',
        TENANT_FABRIKAM_EU_GRAPH_CLIENT_ID: 'app',
        TENANT_FABRIKAM_EU_DOMAINS: 'fabrikam.eu',
        TENANT_FABRIKAM_EU_GRAPH_CONCURRENCY: '2',
      },
      ignored: [{ key: 'event_details', reason: 'empty' }],
      refused: [],
    });
  });

  it('refuses anything else with a line naming the key', () => {
    expect(
      configValuesOfTenantSecret(
        {
          google_client_secret: 'own Google client: fine',
          graph_deadline_ms: '100',
          tenant_contoso_graph_client_secret: 'x',
          vault_secret_path: 'elsewhere',
          GRAPH_CLIENT_ID: 'x',
          domains: ['fabrikam.eu'],
        },
        'fabrikam-eu',
      ).refused,
    ).toEqual([
      expect.stringMatching(
        /^graph_deadline_ms is not a key of tenant fabrikam-eu \(its own secret may set only domains, graph_client_id, .*google_client_secret_previous\)$/,
      ),
      "tenant_contoso_graph_client_secret is another tenant's key (this secret may set only fabrikam-eu's keys)",
      expect.stringMatching(/^vault_secret_path is not a key of tenant fabrikam-eu/),
      'GRAPH_CLIENT_ID: keys are lower-case (graph_client_id)',
      'domains is not a text value',
    ]);
  });

  it("the relay's own secret may hold prefixed tenant keys, not TENANTS or a tenant's path", () => {
    const { values, ignored } = configValuesOfSecret({
      tenant_contoso_graph_client_secret: 'g',
      tenants: 'contoso',
      tenant_contoso_vault_secret_path: 'x',
    });
    expect(values).toEqual({ TENANT_CONTOSO_GRAPH_CLIENT_SECRET: 'g' });
    expect(ignored.map(describeIgnoredKey)).toEqual([
      'tenants (names the tenants and so their sources: set TENANTS in the environment)',
      'tenant_contoso_vault_secret_path (configures the secret sources: set TENANT_CONTOSO_VAULT_SECRET_PATH in the environment)',
    ]);
  });
});
