import {
  credentialTargetFor,
  customGraphHostsFor,
  graphScopeFor,
  placesAvailableAt,
} from './graph-cloud';

describe('credentialTargetFor', () => {
  it.each([
    [
      'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      'https://login.microsoftonline.com',
      'contoso.onmicrosoft.com',
    ],
    [
      'https://login.microsoftonline.us/0b5f4c4e-1111-2222-3333-444455556666',
      'https://login.microsoftonline.us',
      '0b5f4c4e-1111-2222-3333-444455556666',
    ],
    ['https://login.chinacloudapi.cn/tenant/', 'https://login.chinacloudapi.cn', 'tenant'],
    ['https://LOGIN.partner.microsoftonline.cn/t', 'https://login.partner.microsoftonline.cn', 't'],
  ])(
    'keeps instance discovery for the Microsoft cloud %s',
    (authority, authorityHost, tenantId) => {
      expect(credentialTargetFor(authority)).toEqual({
        tenantId,
        authorityHost,
        disableInstanceDiscovery: false,
      });
    },
  );

  it('disables instance discovery for any other host, so nothing but that host is contacted', () => {
    expect(credentialTargetFor('https://127.0.0.1:8443/emulated-tenant')).toEqual({
      tenantId: 'emulated-tenant',
      authorityHost: 'https://127.0.0.1:8443',
      disableInstanceDiscovery: true,
    });
    expect(
      credentialTargetFor('https://login.microsoftonline.com.evil.example/t')
        .disableInstanceDiscovery,
    ).toBe(true);
  });

  it('takes the tenant from the last segment when the authority has a base path', () => {
    expect(credentialTargetFor('https://sts.example.org/entra/tenant-a')).toEqual({
      tenantId: 'tenant-a',
      authorityHost: 'https://sts.example.org/entra',
      disableInstanceDiscovery: true,
    });
  });

  it('refuses an authority without a tenant or without TLS', () => {
    expect(() => credentialTargetFor('https://login.microsoftonline.com')).toThrow(/tenant/);
    expect(() => credentialTargetFor('http://127.0.0.1/t')).toThrow(/https/);
  });
});

describe('graph endpoint', () => {
  it('asks for the endpoint default scope', () => {
    expect(graphScopeFor('https://graph.microsoft.com')).toBe(
      'https://graph.microsoft.com/.default',
    );
    expect(graphScopeFor('https://127.0.0.1:9443/')).toBe('https://127.0.0.1:9443/.default');
  });

  it('lists a non-Microsoft endpoint host (without port) as a custom host, Graph hosts not', () => {
    expect(customGraphHostsFor('https://graph.microsoft.com')).toBeUndefined();
    expect(customGraphHostsFor('https://dod-graph.microsoft.us')).toBeUndefined();
    expect(customGraphHostsFor('https://127.0.0.1:9443')).toEqual(new Set(['127.0.0.1']));
  });
});

describe('placesAvailableAt', () => {
  it('has places in the global cloud and on other hosts, not in the national clouds', () => {
    expect(placesAvailableAt('https://graph.microsoft.com')).toBe(true);
    expect(placesAvailableAt('https://127.0.0.1:8443')).toBe(true);
    expect(placesAvailableAt('https://graph.microsoft.us')).toBe(false);
    expect(placesAvailableAt('https://dod-graph.microsoft.us')).toBe(false);
    expect(placesAvailableAt('https://microsoftgraph.chinacloudapi.cn')).toBe(false);
  });
});
