import { formatDiagnosis, formatMailboxTable, formatSummary } from './interop-report';

describe('the interop-check report', () => {
  const rows = [
    { address: 'adele.vance@contoso.com', status: 'NoError', events: 4 },
    {
      address: 'nobody@contoso.com',
      status: 'ErrorMailRecipientNotFound',
      events: 0,
      error: 'Unable to resolve e-mail address nobody@contoso.com',
    },
    { address: 'x@fabrikam.com', status: 'not asked' },
  ];

  it('lines the table up in columns', () => {
    expect(formatMailboxTable(rows)).toEqual([
      'MAILBOX                  STATUS                      EVENTS  ERROR',
      'adele.vance@contoso.com  NoError                     4',
      'nobody@contoso.com       ErrorMailRecipientNotFound  0       Unable to resolve e-mail address nobody@contoso.com',
      'x@fabrikam.com           not asked                   -',
    ]);
  });

  it('sums up: OK only when every mailbox answered NoError', () => {
    expect(formatSummary(rows)).toBe('FAILED: 2 of 3 mailboxes not answered with NoError');
    expect(formatSummary(rows.slice(0, 1))).toBe('OK: all 1 mailbox answered NoError');
  });

  it("puts a diagnosis in Google's words", () => {
    expect(
      formatDiagnosis(
        { google: 'Invalid attendee', detail: 'unknown address' },
        'nobody@contoso.com',
      ),
    ).toBe('nobody@contoso.com: Google shows "Invalid attendee": unknown address');
  });
});
