import { domainOf, mailboxKey } from './mailbox-address';

describe('domainOf / mailboxKey', () => {
  it('reads the domain after the last @, lower-cased', () => {
    expect(domainOf('"a@b"@Contoso.COM')).toBe('contoso.com');
    expect(domainOf('plain')).toBeUndefined();
    expect(mailboxKey('  Ann@Contoso.com ')).toBe('ann@contoso.com');
  });
});
