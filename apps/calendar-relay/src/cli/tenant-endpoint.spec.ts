import { parseRelayConfig } from '@app/config';
import { UsageError } from './cli-arguments';
import { endpointOfTenant } from './tenant-endpoint';

const app = (prefix: string) => ({
  [`${prefix}GRAPH_CLIENT_ID`]: 'app',
  [`${prefix}GRAPH_CLIENT_SECRET`]: 'graph',
  [`${prefix}GRAPH_AUTHORITY`]: 'https://login.microsoftonline.com/x',
});
const google = {
  GOOGLE_CLIENT_ID: 'google-interop',
  GOOGLE_CLIENT_SECRET: 'relay-secret-0123456789',
};
const config = parseRelayConfig({
  ...google,
  TENANTS: 'contoso,fabrikam',
  TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
  TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
  TENANT_FABRIKAM_GOOGLE_CLIENT_ID: 'google-fabrikam',
  TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'fabrikam-secret-0123456789',
  ...app('TENANT_CONTOSO_'),
  ...app('TENANT_FABRIKAM_'),
});

describe('endpointOfTenant', () => {
  it("presents the tenant's own Google client, and names its keys in the diagnoses", () => {
    const { endpoint, description } = endpointOfTenant(config, 'fabrikam', ['lars@fabrikam.com']);
    expect(endpoint).toEqual({
      clientId: 'google-fabrikam',
      clientSecret: 'fabrikam-secret-0123456789',
      keys: {
        googleClientId: 'TENANT_FABRIKAM_GOOGLE_CLIENT_ID',
        googleClientSecret: 'TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET',
        domains: 'TENANT_FABRIKAM_DOMAINS',
        graph: 'TENANT_FABRIKAM_GRAPH_*',
      },
    });
    expect(description).not.toContain('fabrikam-secret');
  });

  it("presents the relay's client for a tenant without its own", () => {
    const { endpoint } = endpointOfTenant(config, 'contoso', ['a@contoso.de', 'b@Contoso.com']);
    expect(endpoint).toMatchObject({
      clientId: 'google-interop',
      clientSecret: 'relay-secret-0123456789',
      keys: { googleClientId: 'GOOGLE_CLIENT_ID', domains: 'TENANT_CONTOSO_DOMAINS' },
    });
  });

  it('refuses an unknown tenant, an address of another tenant, and a relay without TENANTS', () => {
    expect(() => endpointOfTenant(config, 'northwind', ['a@contoso.com'])).toThrow(
      new UsageError('TENANTS (contoso, fabrikam) names no tenant northwind'),
    );
    expect(() => endpointOfTenant(config, 'fabrikam', ['a@contoso.com'])).toThrow(
      new UsageError(
        "a@contoso.com is not in tenant fabrikam's domains (fabrikam.com): Google sends a lookup to the endpoint of the address's own domain",
      ),
    );
    const single = parseRelayConfig({ ...google, ...app('') });
    expect(() => endpointOfTenant(single, 'default', ['a@contoso.com'])).toThrow(/has no TENANTS/);
  });
});
