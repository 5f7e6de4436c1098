import {
  HELM_INSTALL_TIMEOUT_MS,
  ensureHelm,
  helmLint,
  helmTemplate,
  type ValuesSource,
} from './support/helm';

// values.schema.json (and the chart's own checks) turn a mistake in the values into a refused
// install naming the value, instead of a Deployment that crash-loops or runs unsafely. Each case
// names the value it breaks and the message helm must print; each "accepted" case is the nearest
// good value, so a rejection cannot come from something else.

beforeAll(() => {
  ensureHelm();
}, HELM_INSTALL_TIMEOUT_MS);

type Case = { name: string; values: ValuesSource[]; message: RegExp };

/** A tenant whose secrets are tenant_<name>_* keys of the relay's own secret. */
function tenant(domains: string[]) {
  return { domains, secrets: { source: 'relaySecret' } };
}

const rejected: Case[] = [
  {
    name: 'event details as a word other than true/false',
    values: [{ config: { eventDetails: 'yes' } }],
    message: /eventDetails/,
  },
  {
    name: 'event details for something that is not a domain',
    values: [{ config: { eventDetails: ['Contoso Ltd'] } }],
    message: /eventDetails/,
  },
  {
    name: 'an unknown Vault auth method',
    values: [{ vault: { auth: 'ldap' } }],
    message: /at '\/vault\/auth': value must be one of 'token', 'approle', 'kubernetes'/,
  },
  {
    name: 'a Graph authority without https:// and tenant',
    values: [{ config: { graphAuthority: 'login.microsoftonline.com' } }],
    message: /at '\/config\/graphAuthority': '.*' does not match pattern/,
  },
  {
    name: 'a Graph authority over plain http',
    values: [{ config: { graphAuthority: 'http://login.microsoftonline.com/contoso.com' } }],
    message: /at '\/config\/graphAuthority'/,
  },
  {
    name: 'zero replicas',
    values: [{ replicaCount: 0 }],
    message: /at '\/replicaCount': minimum: got 0, want 1/,
  },
  {
    name: 'a port above 65535',
    values: [{ containerPort: 70000 }],
    message: /at '\/containerPort': maximum: got 70,000, want 65,535/,
  },
  {
    name: 'a privileged port (the relay has no capabilities)',
    values: [{ containerPort: 443 }],
    message: /at '\/containerPort': minimum: got 443, want 1,024/,
  },
  {
    name: 'a port given as a string',
    values: [{ containerPort: '8080' }],
    message: /at '\/containerPort': got string, want integer/,
  },
  {
    name: 'an unknown secrets source',
    values: [{ secrets: { source: 'env' } }],
    message: /at '\/secrets\/source': value must be one of/,
  },
  {
    name: 'a misspelt key',
    values: [{ vault: { adress: 'https://vault:8200' } }],
    message: /at '\/vault': additional properties 'adress' not allowed/,
  },
  {
    name: 'a secret as a chart value (they never go into ConfigMaps or Helm releases)',
    values: [{ config: { googleClientSecret: 'hunter2' } }],
    message: /at '\/config': additional properties 'googleClientSecret' not allowed/,
  },
  {
    name: 'more Graph calls at once than the relay allows (Graph itself runs 4 per app)',
    values: [{ config: { graphConcurrency: 40 } }],
    message: /at '\/config\/graphConcurrency': maximum: got 40, want 16/,
  },
  {
    name: 'an anchor mailbox that is not one address',
    values: [{ config: { graphAnchorMailbox: 'a@contoso.com,b@contoso.com' } }],
    message: /at '\/config\/graphAnchorMailbox'/,
  },
  {
    name: 'a writable root filesystem',
    values: [{ securityContext: { readOnlyRootFilesystem: false } }],
    message: /at '\/securityContext\/readOnlyRootFilesystem': value must be true/,
  },
  {
    name: 'running as root allowed',
    values: [{ podSecurityContext: { runAsNonRoot: false } }],
    message: /at '\/podSecurityContext\/runAsNonRoot': value must be true/,
  },
  {
    name: 'capabilities not dropped',
    values: [{ securityContext: { capabilities: { drop: ['NET_RAW'] } } }],
    message: /at '\/securityContext\/capabilities\/drop'/,
  },
  {
    name: 'token auth without the Secret holding the token',
    values: [{ vault: { auth: 'token' } }],
    message: /at '\/vault\/token\/secret': minLength: got 0, want 1/,
  },
  {
    name: 'AppRole without role id and secret id',
    values: [{ vault: { auth: 'approle' } }],
    message: /at '\/vault\/approle\/roleId': minLength: got 0, want 1/,
  },
  {
    name: 'the existingSecret source without a Secret name',
    values: [{ secrets: { source: 'existingSecret' } }],
    message: /at '\/secrets\/existingSecret': minLength: got 0, want 1/,
  },
  {
    name: 'a Vault address that is not a URL',
    values: [{ vault: { address: 'vault.vault.svc:8200' } }],
    message: /at '\/vault\/address': '.*' does not match pattern/,
  },
  {
    name: 'an allowlist entry that is not a CIDR',
    values: [{ ingress: { ewsAllowlist: { enabled: true, sourceRanges: ['google'] } } }],
    message: /at '\/ingress\/ewsAllowlist\/sourceRanges\/0'/,
  },
  {
    name: 'HTTPRoutes on without a Gateway to attach to',
    values: [{ httpRoute: { enabled: true } }],
    message: /at '\/httpRoute\/parentRefs': minItems: got 0, want 1/,
  },
  {
    name: 'a parentRef without the Gateway name',
    values: [{ httpRoute: { enabled: true, parentRefs: [{ namespace: 'gateway-system' }] } }],
    message: /at '\/httpRoute\/parentRefs\/0': missing property 'name'/,
  },
  {
    name: 'a listener name in capitals (Gateway API section names are DNS subdomains)',
    values: [
      { httpRoute: { enabled: true, parentRefs: [{ name: 'public', sectionName: 'HTTPS' }] } },
    ],
    message: /at '\/httpRoute\/parentRefs\/0\/sectionName': 'HTTPS' does not match pattern/,
  },
  {
    name: 'HTTPRoutes for no host name (they would take the paths of every host)',
    values: [{ httpRoute: { enabled: true, parentRefs: [{ name: 'public' }], hostnames: [] } }],
    message: /at '\/httpRoute\/hostnames': minItems: got 0, want 1/,
  },
  {
    name: 'a wildcard host name for the HTTPRoutes (Google calls one exact host)',
    values: [{ httpRoute: { hostnames: ['*.example.com'] } }],
    message: /at '\/httpRoute\/hostnames\/0': '\*\.example\.com' does not match pattern/,
  },
  {
    name: 'a catch-all EWS path match (it would publish /metrics)',
    values: [{ httpRoute: { ewsPathMatch: 'prefix' } }],
    message: /at '\/httpRoute\/ewsPathMatch': value must be one of 'exact', 'regex'/,
  },
  {
    name: 'a Gateway policy for an implementation the chart does not render',
    values: [{ httpRoute: { sourceAllowlist: { policy: 'nginx' } } }],
    message:
      /at '\/httpRoute\/sourceAllowlist\/policy': value must be one of 'none', 'envoyGateway', 'istio'/,
  },
  {
    name: 'a Gateway allowlist entry that is not a CIDR',
    values: [{ httpRoute: { sourceAllowlist: { ewsSourceRanges: ['google'] } } }],
    message: /at '\/httpRoute\/sourceAllowlist\/ewsSourceRanges\/0'/,
  },
  {
    name: 'an empty EWS allowlist for the Gateway policy',
    values: [{ httpRoute: { sourceAllowlist: { ewsSourceRanges: [] } } }],
    message: /at '\/httpRoute\/sourceAllowlist\/ewsSourceRanges': minItems: got 0, want 1/,
  },
  {
    name: 'the Ingress EWS allowlist without the annotation of the controller',
    values: [{ ingress: { enabled: true, ewsAllowlist: { enabled: true } } }],
    message: /at '\/ingress\/ewsAllowlist\/annotation': minLength: got 0, want 1/,
  },
  {
    name: 'an email domain in capitals',
    values: [{ config: { allowedDomains: ['Contoso.com'] } }],
    message: /at '\/config\/allowedDomains\/0': 'Contoso.com' does not match pattern/,
  },
  {
    name: 'an unknown log level',
    values: [{ config: { logLevel: 'verbose' } }],
    message: /at '\/config\/logLevel': value must be one of/,
  },
  {
    name: 'an agent file name that is not a lower-case key',
    values: [
      { secrets: { source: 'vaultAgent' }, vault: { agent: { keys: ['GOOGLE_CLIENT_ID'] } } },
    ],
    message: /at '\/vault\/agent\/keys\/0'/,
  },
  {
    name: 'a grace period shorter than preStop + drain + one lookup',
    values: [{ shutdown: { terminationGracePeriodSeconds: 15 } }],
    message:
      /shutdown.terminationGracePeriodSeconds \(15 s\) must exceed shutdown.preStopSleepSeconds \+ shutdown.drainMs \+ config.graphDeadlineMs \(18000 ms\)/,
  },
  {
    name: 'a Graph deadline the grace period no longer covers',
    values: [{ config: { graphDeadlineMs: 25000 } }],
    message: /must exceed .*\(35000 ms\)/,
  },
  {
    name: 'a tenant name in capitals (TENANTS names are lower-case letters, digits, hyphens)',
    values: [{ tenants: { Contoso: tenant(['contoso.com']) } }],
    message: /at '\/tenants': additional properties 'Contoso' not allowed/,
  },
  {
    name: 'a tenant name ending in a hyphen',
    values: [{ tenants: { 'contoso-': tenant(['contoso.com']) } }],
    message: /at '\/tenants': additional properties 'contoso-' not allowed/,
  },
  {
    name: 'a tenant without domains',
    values: [{ tenants: { contoso: { secrets: { source: 'relaySecret' } } } }],
    message: /at '\/tenants\/contoso': missing property 'domains'/,
  },
  {
    name: 'a tenant with an empty domain list',
    values: [{ tenants: { contoso: tenant([]) } }],
    message: /at '\/tenants\/contoso\/domains': minItems: got 0, want 1/,
  },
  {
    name: 'a domain in two tenants',
    values: [
      {
        tenants: {
          contoso: tenant(['contoso.com', 'fabrikam.com']),
          fabrikam: tenant(['fabrikam.com']),
        },
      },
    ],
    message:
      /fabrikam\.com is in tenants\.contoso\.domains and tenants\.fabrikam\.domains: a domain belongs to one tenant only/,
  },
  {
    name: "a tenant's own Vault secret without its path",
    values: [
      { tenants: { contoso: { domains: ['contoso.com'], secrets: { source: 'tenantVault' } } } },
    ],
    message: /at '\/tenants\/contoso': missing property 'vaultSecretPath'/,
  },
  {
    name: "a tenant's own Vault secret with no Vault reader (CSI)",
    values: [
      { secrets: { source: 'csi', csi: { secretProviderClass: 'calendar-relay' } } },
      {
        tenants: {
          contoso: {
            domains: ['contoso.com'],
            vaultSecretPath: 'calendar-relay/contoso',
            secrets: { source: 'tenantVault' },
          },
        },
      },
    ],
    message:
      /tenants\.contoso\.secrets\.source tenantVault reads the tenant's own Vault secret, which needs secrets\.source vault or vaultAgent \(it is csi\)/,
  },
  {
    name: "a tenant's Secret without its name",
    values: [
      { tenants: { contoso: { domains: ['contoso.com'], secrets: { source: 'existingSecret' } } } },
    ],
    message: /at '\/tenants\/contoso\/secrets': missing property 'existingSecret'/,
  },
  {
    name: "a tenant's own Google client without the Secret's keys for it",
    values: [
      {
        tenants: {
          fabrikam: {
            domains: ['fabrikam.com'],
            ownGoogleClient: true,
            secrets: {
              source: 'existingSecret',
              existingSecret: {
                name: 'fabrikam-relay',
                keys: { graphClientId: 'id', graphClientSecret: 'secret' },
              },
            },
          },
        },
      },
    ],
    message:
      /at '\/tenants\/fabrikam\/secrets\/existingSecret\/keys': missing properties 'googleClientId', 'googleClientSecret'/,
  },
  {
    name: "a tenant's secret as a chart value",
    values: [
      { tenants: { contoso: { ...tenant(['contoso.com']), graphClientSecret: 'hunter2' } } },
    ],
    message: /at '\/tenants\/contoso': additional properties 'graphClientSecret' not allowed/,
  },
  {
    name: "more Graph calls at once for a tenant's app than the relay allows",
    values: [{ tenants: { contoso: { ...tenant(['contoso.com']), graph: { concurrency: 40 } } } }],
    message: /at '\/tenants\/contoso\/graph\/concurrency': maximum: got 40, want 16/,
  },
  {
    name: 'the single-tenant domains beside tenants (the relay refuses ALLOWED_DOMAINS beside TENANTS)',
    values: [
      {
        config: { allowedDomains: ['contoso.com'] },
        tenants: { contoso: tenant(['contoso.com']) },
      },
    ],
    message:
      /config\.allowedDomains is for one tenant; with tenants set each tenant has its own \(tenants\.<name>\.domains\)/,
  },
  {
    name: 'the single-tenant authority beside tenants',
    values: [
      {
        config: { graphAuthority: 'https://login.microsoftonline.com/x' },
        tenants: { contoso: tenant(['contoso.com']) },
      },
    ],
    message: /config\.graphAuthority is for one tenant; .*\(tenants\.<name>\.graph\.authority\)/,
  },
  {
    name: 'the single-tenant event details beside tenants',
    values: [{ config: { eventDetails: true }, tenants: { contoso: tenant(['contoso.com']) } }],
    message: /config\.eventDetails is for one tenant; .*\(tenants\.<name>\.eventDetails\)/,
  },
  {
    name: "the single-tenant app's concurrency beside tenants",
    values: [{ config: { graphConcurrency: 2 }, tenants: { contoso: tenant(['contoso.com']) } }],
    message:
      /config\.graphConcurrency is for one tenant's app; .*\(tenants\.<name>\.graph\.concurrency\)/,
  },
];

const accepted: { name: string; values: ValuesSource[] }[] = [
  { name: 'one replica', values: [{ replicaCount: 1 }] },
  { name: 'the lowest unprivileged port', values: [{ containerPort: 1024 }] },
  {
    name: 'a tenant authority',
    values: [
      {
        config: {
          graphAuthority: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000',
        },
      },
    ],
  },
  {
    name: 'an emulator authority with a port',
    values: [{ config: { graphAuthority: 'https://127.0.0.1:8443/tenant-1' } }],
  },
  {
    name: 'approle with both ids',
    values: [{ vault: { auth: 'approle', approle: { roleId: 'r', secretIdSecret: 's' } } }],
  },
  {
    name: 'a grace period just long enough',
    values: [{ shutdown: { terminationGracePeriodSeconds: 19 } }],
  },
  {
    name: 'HTTPRoutes on a Gateway of the release namespace, on every listener',
    values: [{ httpRoute: { enabled: true, parentRefs: [{ name: 'shared' }] } }],
  },
  {
    name: 'the Ingress EWS allowlist with the annotation of the controller',
    values: [
      {
        ingress: {
          enabled: true,
          ewsAllowlist: { enabled: true, annotation: 'haproxy.org/allow-list' },
        },
      },
    ],
  },
  {
    name: 'a lower-case domain list',
    values: [{ config: { allowedDomains: ['contoso.com', 'mail.fabrikam.co.uk'] } }],
  },
  {
    name: 'a tenant name of letters, digits and a hyphen, its secrets in the relay secret',
    values: [{ tenants: { 'contoso-eu2': tenant(['contoso.eu']) } }],
  },
  {
    name: 'two tenants of distinct domains, one with its own Vault secret',
    values: [
      {
        tenants: {
          contoso: {
            domains: ['contoso.com'],
            vaultSecretPath: 'calendar-relay/contoso',
            secrets: { source: 'tenantVault' },
          },
          fabrikam: tenant(['fabrikam.com']),
        },
      },
    ],
  },
];

describe('the chart refuses bad values with a message naming them', () => {
  it.each(rejected)('$name', ({ values, message }) => {
    const result = helmTemplate(values);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.status).not.toBe(0);
  });

  it('helm lint fails on them too', () => {
    const result = helmLint([{ vault: { auth: 'ldap' } }]);
    expect(result.stdout + result.stderr).toMatch(
      /value must be one of 'token', 'approle', 'kubernetes'/,
    );
    expect(result.status).not.toBe(0);
  });
});

describe('and accepts the nearest good values', () => {
  it.each(accepted)('$name', ({ values }) => {
    const result = helmTemplate(values);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
