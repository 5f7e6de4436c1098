import { parseRelayConfig } from '@app/config';
import { planAddresses } from './tenant-addresses';

const google = { GOOGLE_CLIENT_ID: 'google-interop', GOOGLE_CLIENT_SECRET: 'not-shown-0123456789' };
const app = (prefix: string) => ({
  [`${prefix}GRAPH_CLIENT_ID`]: 'app',
  [`${prefix}GRAPH_CLIENT_SECRET`]: 'graph',
  [`${prefix}GRAPH_AUTHORITY`]: 'https://login.microsoftonline.com/x',
});

describe('planAddresses', () => {
  const tenants = parseRelayConfig({
    ...google,
    TENANTS: 'contoso,fabrikam',
    TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
    TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
    ...app('TENANT_CONTOSO_'),
    ...app('TENANT_FABRIKAM_'),
  });

  it('routes each address to the tenant of its domain, in any letter case, each once', () => {
    const plan = planAddresses(tenants, [
      'lars@fabrikam.com',
      'Adele@Contoso.com',
      'megan@contoso.de',
      'adele@contoso.com',
    ]);
    expect([...plan.byTenant]).toEqual([
      ['contoso', ['Adele@Contoso.com', 'megan@contoso.de']],
      ['fabrikam', ['lars@fabrikam.com']],
    ]);
    expect(plan.unrouted).toEqual([]);
  });

  it('names an address no tenant serves, and one that is no address', () => {
    const plan = planAddresses(tenants, ['someone@northwind.com', 'adele']);
    expect(plan.unrouted).toEqual([
      {
        address: 'someone@northwind.com',
        reason:
          'northwind.com is in no tenant\'s DOMAINS (contoso: contoso.com, contoso.de; fabrikam: fabrikam.com): the relay answers it "not found" without asking Graph',
      },
      { address: 'adele', reason: 'is not an email address (someone@domain)' },
    ]);
    expect([...plan.byTenant.values()]).toEqual([[], []]);
  });

  it('without TENANTS asks the one tenant for every address, warning outside ALLOWED_DOMAINS', () => {
    const single = parseRelayConfig({ ...google, ...app(''), ALLOWED_DOMAINS: 'contoso.com' });
    const plan = planAddresses(single, ['adele@contoso.com', 'lars@fabrikam.com']);
    expect([...plan.byTenant]).toEqual([['default', ['adele@contoso.com', 'lars@fabrikam.com']]]);
    expect(plan.warnings).toEqual([
      'fabrikam.com is not in ALLOWED_DOMAINS: the relay answers lars@fabrikam.com "not found" without asking Graph',
    ]);
  });
});
