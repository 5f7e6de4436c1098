import { ConfigurationError } from './configuration-error';
import { parseRelayConfig } from './relay-config.schema';

const GOOGLE = { GOOGLE_CLIENT_ID: 'google-interop', GOOGLE_CLIENT_SECRET: 'secret-0123456789' };
const AUTHORITY = 'https://login.microsoftonline.com/';

/** A complete tenant's keys (the four required ones). */
function tenantEnv(prefix: string, domains: string, extra: Record<string, string> = {}) {
  return {
    [`TENANT_${prefix}_DOMAINS`]: domains,
    [`TENANT_${prefix}_GRAPH_CLIENT_ID`]: `${prefix.toLowerCase()}-app`,
    [`TENANT_${prefix}_GRAPH_CLIENT_SECRET`]: `${prefix.toLowerCase()}-graph-secret`,
    [`TENANT_${prefix}_GRAPH_AUTHORITY`]: `${AUTHORITY}${prefix.toLowerCase()}.onmicrosoft.com`,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`TENANT_${prefix}_${k}`, v])),
  };
}

const TWO_TENANTS: Readonly<Record<string, string>> = {
  ...GOOGLE,
  TENANTS: 'contoso,fabrikam-eu',
  ...tenantEnv('CONTOSO', 'Contoso.com, contoso.co.uk'),
  ...tenantEnv('FABRIKAM_EU', 'fabrikam.eu'),
};

function without(env: Readonly<Record<string, string>>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k !== key));
}

/** The one line main.ts would print (after "refusing to start: "). */
function refusal(env: Record<string, string>): string {
  try {
    parseRelayConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('TENANTS and the TENANT_<NAME>_* keys', () => {
  it('builds one TenantSettings per name, with the single-tenant defaults and the shared settings', () => {
    const config = parseRelayConfig({
      ...TWO_TENANTS,
      GRAPH_DEADLINE_MS: '5000',
      CACHE_TTL_SECONDS: '30',
      TENANT_FABRIKAM_EU_GRAPH_CONCURRENCY: '2',
      TENANT_FABRIKAM_EU_GRAPH_ANCHOR_MAILBOX: 'Interop@fabrikam.eu',
      TENANT_FABRIKAM_EU_EVENT_DETAILS: 'true',
      TENANT_FABRIKAM_EU_GOOGLE_CLIENT_ID: 'google-fabrikam',
      TENANT_FABRIKAM_EU_GOOGLE_CLIENT_SECRET: 'fabrikam-google-secret',
    });
    expect(config.tenants).toEqual([
      {
        name: 'contoso',
        domains: ['contoso.com', 'contoso.co.uk'],
        graph: {
          clientId: 'contoso-app',
          clientSecret: 'contoso-graph-secret',
          authority: `${AUTHORITY}contoso.onmicrosoft.com`,
          endpoint: 'https://graph.microsoft.com',
          deadlineMs: 5000,
          concurrency: 4,
          cacheTtlSeconds: 30,
          cacheMaxEntries: 10000,
        },
        eventDetails: false,
      },
      {
        name: 'fabrikam-eu',
        domains: ['fabrikam.eu'],
        graph: expect.objectContaining({
          clientId: 'fabrikam_eu-app',
          anchorMailbox: 'interop@fabrikam.eu',
          concurrency: 2,
        }),
        eventDetails: true,
        google: { clientId: 'google-fabrikam', clientSecret: 'fabrikam-google-secret' },
      },
    ]);
    expect(config.google.clientId).toBe('google-interop');
  });

  it('gives the single-tenant view of the tenants: no one Graph app, their domains, their details', () => {
    const config = parseRelayConfig({
      ...TWO_TENANTS,
      TENANT_FABRIKAM_EU_EVENT_DETAILS: 'true',
    });
    expect(config.graph).toBeUndefined();
    expect(config.allowedDomains).toEqual(['contoso.com', 'contoso.co.uk', 'fabrikam.eu']);
    expect(config.eventDetails).toEqual(['fabrikam.eu']);
    expect(parseRelayConfig(TWO_TENANTS).eventDetails).toBe(false);
  });

  it('without TENANTS: one tenant named default from the single-tenant keys, or none for the demo', () => {
    const single = parseRelayConfig({
      ...GOOGLE,
      GRAPH_CLIENT_ID: 'app',
      GRAPH_CLIENT_SECRET: 'graph-secret',
      GRAPH_AUTHORITY: `${AUTHORITY}contoso.onmicrosoft.com`,
      EVENT_DETAILS: 'contoso.com',
    });
    expect(single.tenants).toEqual([
      { name: 'default', domains: [], graph: single.graph, eventDetails: ['contoso.com'] },
    ]);
    expect(single.tenants[0].graph).toBe(single.graph);
    expect(parseRelayConfig({ ...GOOGLE, ALLOWED_DOMAINS: 'contoso.com' }).tenants).toEqual([]);
  });

  describe('stops start-up with one line naming each mistake', () => {
    it('a domain in two tenants', () => {
      expect(
        refusal({ ...TWO_TENANTS, TENANT_FABRIKAM_EU_DOMAINS: 'fabrikam.eu,contoso.com' }),
      ).toBe(
        'Invalid configuration: contoso.com is in TENANT_CONTOSO_DOMAINS and TENANT_FABRIKAM_EU_DOMAINS (a domain belongs to one tenant only)',
      );
    });

    it('a missing required key', () => {
      expect(refusal(without(TWO_TENANTS, 'TENANT_CONTOSO_GRAPH_CLIENT_SECRET'))).toBe(
        'Invalid configuration: TENANT_CONTOSO_GRAPH_CLIENT_SECRET is required (every tenant in TENANTS needs TENANT_<NAME>_DOMAINS, TENANT_<NAME>_GRAPH_CLIENT_ID, TENANT_<NAME>_GRAPH_CLIENT_SECRET, TENANT_<NAME>_GRAPH_AUTHORITY)',
      );
      expect(refusal({ ...TWO_TENANTS, TENANT_CONTOSO_DOMAINS: ' ' })).toMatch(
        /^Invalid configuration: TENANT_CONTOSO_DOMAINS is required \(/,
      );
    });

    it('a named tenant without keys', () => {
      expect(refusal({ ...TWO_TENANTS, TENANTS: 'contoso,fabrikam-eu,northwind' })).toBe(
        'Invalid configuration: TENANTS names northwind, but no TENANT_NORTHWIND_* key is set (it needs TENANT_NORTHWIND_DOMAINS, TENANT_NORTHWIND_GRAPH_CLIENT_ID, TENANT_NORTHWIND_GRAPH_CLIENT_SECRET, TENANT_NORTHWIND_GRAPH_AUTHORITY; or remove northwind from TENANTS)',
      );
    });

    it('a key of a tenant TENANTS does not name, with or without TENANTS', () => {
      expect(refusal({ ...TWO_TENANTS, TENANT_NORTHWIND_GRAPH_CLIENT_ID: 'x' })).toBe(
        'Invalid configuration: TENANT_NORTHWIND_GRAPH_CLIENT_ID is set, but TENANTS (contoso,fabrikam-eu) does not name northwind',
      );
      expect(refusal({ ...GOOGLE, TENANT_NORTHWIND_DOMAINS: 'northwind.com' })).toBe(
        'Invalid configuration: TENANT_NORTHWIND_DOMAINS is set, but TENANTS is not (set TENANTS=northwind to serve that tenant, or remove TENANT_NORTHWIND_DOMAINS)',
      );
      // A variable that merely starts with TENANT_ is nobody's key.
      expect(parseRelayConfig({ ...GOOGLE, TENANT_ID: 'x' }).tenants).toEqual([]);
    });

    it('a misspelt key of a named tenant', () => {
      expect(refusal({ ...TWO_TENANTS, TENANT_CONTOSO_GRAPH_CLIENT_SCRET: 'x' })).toMatch(
        /^Invalid configuration: TENANT_CONTOSO_GRAPH_CLIENT_SCRET is not a tenant key \(a tenant's keys are TENANT_<NAME>_ and one of DOMAINS, GRAPH_CLIENT_ID, .*GOOGLE_CLIENT_SECRET_PREVIOUS\)$/,
      );
    });

    it.each([
      ['Contoso', '"Contoso" is not one'],
      ['contoso,fabrikam_eu', '"fabrikam_eu" is not one'],
      ['-contoso', '"-contoso" is not one'],
    ])('a bad tenant name: TENANTS=%s', (names, why) => {
      expect(refusal({ ...TWO_TENANTS, TENANTS: names })).toBe(
        `Invalid configuration: TENANTS must be a comma-separated list of tenant names of lower-case letters, digits and hyphens (e.g. contoso,fabrikam-eu); ${why}`,
      );
    });

    it('a tenant named twice', () => {
      expect(refusal({ ...TWO_TENANTS, TENANTS: 'contoso,fabrikam-eu,contoso' })).toBe(
        'Invalid configuration: TENANTS names contoso twice',
      );
    });

    it('a bad value, in the words of the single-tenant key', () => {
      expect(refusal({ ...TWO_TENANTS, TENANT_CONTOSO_GRAPH_CONCURRENCY: '0' })).toBe(
        'Invalid configuration: TENANT_CONTOSO_GRAPH_CONCURRENCY must be an integer 1..16 (getSchedule calls in flight at once for the app (Graph runs 4 per app ID))',
      );
      expect(
        refusal({ ...TWO_TENANTS, TENANT_CONTOSO_GRAPH_AUTHORITY: 'http://login.example' }),
      ).toBe(
        'Invalid configuration: TENANT_CONTOSO_GRAPH_AUTHORITY must use https:// (https://login.microsoftonline.com/<tenant id>)',
      );
      expect(refusal({ ...TWO_TENANTS, TENANT_FABRIKAM_EU_DOMAINS: 'fabrikam' })).toBe(
        'Invalid configuration: TENANT_FABRIKAM_EU_DOMAINS must be a comma-separated list of email domains such as contoso.com; "fabrikam" is not one',
      );
      expect(refusal({ ...TWO_TENANTS, TENANT_CONTOSO_EVENT_DETAILS: 'maybe' })).toBe(
        'Invalid configuration: TENANT_CONTOSO_EVENT_DETAILS must be true, false or a comma-separated list of email domains; "maybe" is not one',
      );
    });

    it('single-tenant keys together with TENANTS, saying which to use', () => {
      expect(refusal({ ...TWO_TENANTS, GRAPH_CLIENT_ID: 'app' })).toBe(
        'Invalid configuration: GRAPH_CLIENT_ID is set together with TENANTS, which is ambiguous: with TENANTS each tenant has its own TENANT_<NAME>_GRAPH_CLIENT_ID (remove GRAPH_CLIENT_ID)',
      );
      expect(refusal({ ...TWO_TENANTS, ALLOWED_DOMAINS: 'contoso.com' })).toBe(
        'Invalid configuration: ALLOWED_DOMAINS is set together with TENANTS, which is ambiguous: with TENANTS each tenant has its own TENANT_<NAME>_DOMAINS (remove ALLOWED_DOMAINS)',
      );
    });

    it("half of a tenant's own Google client, or one client id for two endpoints", () => {
      expect(refusal({ ...TWO_TENANTS, TENANT_CONTOSO_GOOGLE_CLIENT_ID: 'google-contoso' })).toBe(
        "Invalid configuration: TENANT_CONTOSO_GOOGLE_CLIENT_SECRET is required when TENANT_CONTOSO_GOOGLE_CLIENT_ID is set (both make the tenant's own Google Interop client)",
      );
      expect(
        refusal({
          ...TWO_TENANTS,
          TENANT_CONTOSO_GOOGLE_CLIENT_ID: 'google-interop',
          TENANT_CONTOSO_GOOGLE_CLIENT_SECRET: 'contoso-google-secret',
        }),
      ).toBe(
        'Invalid configuration: TENANT_CONTOSO_GOOGLE_CLIENT_ID is the same client id as GOOGLE_CLIENT_ID (each Google Interop endpoint needs a client id of its own)',
      );
    });

    it('every mistake at once, one line each', () => {
      const rest = without(TWO_TENANTS, 'TENANT_CONTOSO_GRAPH_AUTHORITY');
      const error = (() => {
        try {
          parseRelayConfig({
            ...rest,
            GRAPH_ENDPOINT: 'https://graph.example',
            GOOGLE_CLIENT_SECRET: '',
          });
        } catch (e) {
          return e as ConfigurationError;
        }
        throw new Error('accepted');
      })();
      expect(error.problems).toEqual([
        'GOOGLE_CLIENT_SECRET must not be empty (the client secret Google presents at /token)',
        expect.stringMatching(/^GRAPH_ENDPOINT is set together with TENANTS/),
        expect.stringMatching(/^TENANT_CONTOSO_GRAPH_AUTHORITY is required/),
      ]);
    });
  });
});
