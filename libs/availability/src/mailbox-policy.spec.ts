import { mailboxPolicy, type TenantRoute } from './mailbox-policy';

const contoso: TenantRoute = { name: 'contoso', domains: ['contoso.com'], eventDetails: false };
const fabrikam: TenantRoute = {
  name: 'fabrikam',
  domains: ['fabrikam.com', 'fabrikam.eu'],
  eventDetails: ['fabrikam.com'],
};
const two = { tenants: [contoso, fabrikam], roleAccountDomainOnly: false };

describe('mailboxPolicy', () => {
  it('routes each mailbox to the tenant of its domain, whatever its case', () => {
    const policy = mailboxPolicy(two);
    expect(policy.verdictFor('Alice@CONTOSO.com')).toEqual({
      kind: 'lookup',
      tenant: 'contoso',
      details: false,
    });
    expect(policy.verdictFor('bob@fabrikam.eu')).toMatchObject({ tenant: 'fabrikam' });
  });

  it('answers a domain of no tenant, and anything that is no address, as unknown', () => {
    const policy = mailboxPolicy(two);
    for (const address of ['eve@contoso.com.evil.example', 'carol@eu.contoso.com', 'contoso.com']) {
      expect(policy.verdictFor(address)).toMatchObject({
        kind: 'refused',
        reason: 'recipientNotFound',
      });
    }
    expect(policy.verdictFor('not an address')).toMatchObject({ why: 'notAnAddress' });
    expect(policy.verdictFor('x@nowhere.example')).toMatchObject({ why: 'noTenant' });
  });

  it('lets a tenant without domains (the single-tenant keys without ALLOWED_DOMAINS) take every domain', () => {
    const policy = mailboxPolicy({
      tenants: [{ name: 'default', domains: [], eventDetails: true }],
      roleAccountDomainOnly: false,
    });
    expect(policy.verdictFor('anyone@anywhere.example')).toEqual({
      kind: 'lookup',
      tenant: 'default',
      details: true,
    });
  });

  it("shows details per the mailbox's tenant: for no domain, every domain, or the listed ones", () => {
    const policy = mailboxPolicy(two);
    expect(policy.verdictFor('alice@contoso.com')).toMatchObject({ details: false });
    expect(policy.verdictFor('bob@fabrikam.com')).toMatchObject({ details: true });
    expect(policy.verdictFor('bob@fabrikam.eu')).toMatchObject({ details: false });
  });

  it("shows a tenant's own Google client that tenant only: others have no free/busy access", () => {
    const policy = mailboxPolicy(two, { tenants: new Set(['fabrikam']) });
    expect(policy.verdictFor('bob@fabrikam.com')).toMatchObject({ kind: 'lookup' });
    expect(policy.verdictFor('alice@contoso.com')).toEqual({
      kind: 'refused',
      reason: 'accessDenied',
      why: 'otherTenant',
    });
    // The global client sees every tenant.
    expect(mailboxPolicy(two, {}).verdictFor('alice@contoso.com')).toMatchObject({
      kind: 'lookup',
    });
  });

  it("keeps an impersonated role account's caller to its own domain when the rule is on", () => {
    const rule = { ...two, roleAccountDomainOnly: true };
    const contosoRole = mailboxPolicy(rule, { roleAccount: 'interop-role@Contoso.com' });
    expect(contosoRole.verdictFor('alice@contoso.com')).toMatchObject({ kind: 'lookup' });
    expect(contosoRole.verdictFor('bob@fabrikam.com')).toEqual({
      kind: 'refused',
      reason: 'recipientNotFound',
      why: 'otherRoleDomain',
    });
    // A role account given as a SID names no domain: nothing is in its scope.
    expect(
      mailboxPolicy(rule, { roleAccount: 'S-1-5-21-1' }).verdictFor('alice@contoso.com'),
    ).toMatchObject({ kind: 'refused' });
    // No impersonation header: nothing to restrict by (the header is optional).
    expect(mailboxPolicy(rule, {}).verdictFor('bob@fabrikam.com')).toMatchObject({
      kind: 'lookup',
    });
    // The rule off: nothing restricted by role account.
    expect(
      mailboxPolicy(two, { roleAccount: 'role@contoso.com' }).verdictFor('bob@fabrikam.com'),
    ).toMatchObject({ kind: 'lookup' });
  });

  it("names the tenants in view: those of the caller's Google client, of its role account's domain", () => {
    expect(mailboxPolicy(two).tenantsInView()).toEqual(['contoso', 'fabrikam']);
    expect(mailboxPolicy(two, { tenants: new Set(['fabrikam']) }).tenantsInView()).toEqual([
      'fabrikam',
    ]);
    const rule = { ...two, roleAccountDomainOnly: true };
    expect(mailboxPolicy(rule, { roleAccount: 'role@fabrikam.eu' }).tenantsInView()).toEqual([
      'fabrikam',
    ]);
    expect(mailboxPolicy(rule, { roleAccount: 'role@elsewhere.example' }).tenantsInView()).toEqual(
      [],
    );
    const everyDomain = { name: 'default', domains: [], eventDetails: false };
    expect(
      mailboxPolicy(
        { tenants: [everyDomain], roleAccountDomainOnly: true },
        { roleAccount: 'role@anything.example' },
      ).tenantsInView(),
    ).toEqual(['default']);
  });
});
