import type { MailboxAvailability } from '@app/availability';
import { domainOfAddress, mailboxPolicy, withoutEventDetails } from './mailbox-policy';

describe('mailboxPolicy', () => {
  it('shows details for no domain, every domain, or the listed domains only', () => {
    const off = mailboxPolicy({ eventDetails: false, roleAccountDomainOnly: false }, undefined);
    const on = mailboxPolicy({ eventDetails: true, roleAccountDomainOnly: false }, undefined);
    const some = mailboxPolicy(
      { eventDetails: ['contoso.com'], roleAccountDomainOnly: false },
      undefined,
    );
    expect(off.detailsAllowedFor('alice@contoso.com')).toBe(false);
    expect(on.detailsAllowedFor('alice@contoso.com')).toBe(true);
    expect(some.detailsAllowedFor('Alice@CONTOSO.com')).toBe(true);
    expect(some.detailsAllowedFor('bob@fabrikam.com')).toBe(false);
    // A subdomain is another domain, and a non-address has none.
    expect(some.detailsAllowedFor('carol@eu.contoso.com')).toBe(false);
    expect(some.detailsAllowedFor('contoso.com')).toBe(false);
  });

  it("keeps an impersonated role account's caller to its own domain when the rule is on", () => {
    const rule = { eventDetails: false, roleAccountDomainOnly: true };
    const contoso = mailboxPolicy(rule, 'interop-role@Contoso.com');
    expect(contoso.outOfScope('alice@contoso.com')).toBe(false);
    expect(contoso.outOfScope('bob@fabrikam.com')).toBe(true);
    expect(contoso.outOfScope('eve@contoso.com.evil.example')).toBe(true);
    // A role account given as a SID names no domain: nothing is in its scope.
    expect(mailboxPolicy(rule, 'S-1-5-21-1').outOfScope('alice@contoso.com')).toBe(true);
    // No impersonation header: nothing to restrict by (the header is optional).
    expect(mailboxPolicy(rule, undefined).outOfScope('bob@fabrikam.com')).toBe(false);
  });

  it('restricts nothing by role account while the rule is off', () => {
    const policy = mailboxPolicy(
      { eventDetails: false, roleAccountDomainOnly: false },
      'role@contoso.com',
    );
    expect(policy.outOfScope('bob@fabrikam.com')).toBe(false);
  });
});

describe('withoutEventDetails', () => {
  it('drops subjects and locations but keeps times and statuses', () => {
    const mailbox: MailboxAvailability = {
      address: 'alice@contoso.com',
      outcome: 'ok',
      events: [
        {
          startMs: 1,
          endMs: 2,
          status: 'Busy',
          details: {
            subject: 'Acquisition talks',
            location: 'Board room',
            isMeeting: true,
            isRecurring: false,
            isException: false,
            isReminderSet: false,
            isPrivate: false,
          },
        },
      ],
    };
    const stripped = withoutEventDetails(mailbox);
    expect(stripped).toEqual({
      address: 'alice@contoso.com',
      outcome: 'ok',
      events: [{ startMs: 1, endMs: 2, status: 'Busy' }],
    });
    expect(JSON.stringify(stripped)).not.toContain('Acquisition');
  });
});

describe('domainOfAddress', () => {
  it('is the lower-cased part after the last @', () => {
    expect(domainOfAddress('"a@b"@Contoso.COM')).toBe('contoso.com');
    expect(domainOfAddress('nobody')).toBeUndefined();
    expect(domainOfAddress('nobody@')).toBeUndefined();
  });
});
