import { judgeScheduleCall } from './schedule-permission';

describe('judgeScheduleCall', () => {
  it('accepts an answered schedule', () => {
    expect(
      judgeScheduleCall(
        { kind: 'answered', schedules: [{ scheduleId: 'a@contoso.com', scheduleItems: [{}, {}] }] },
        'a@contoso.com',
      ),
    ).toEqual({ ok: true, detail: 'getSchedule for a@contoso.com works: 2 items today (UTC)' });
  });

  it('tells a missing permission from an unknown address', () => {
    const denied = judgeScheduleCall(
      { kind: 'httpError', status: 403, code: 'ErrorAccessDenied' },
      'a@contoso.com',
    );
    expect(denied.ok).toBe(false);
    expect(!denied.ok && denied.reason).toMatch(/Calendars\.ReadBasic\.All/);
    const unknown = judgeScheduleCall(
      {
        kind: 'answered',
        schedules: [
          {
            scheduleId: 'x@contoso.com',
            error: { responseCode: '5009', message: 'Unable to resolve' },
          },
        ],
      },
      'x@contoso.com',
    );
    expect(!unknown.ok && unknown.reason).toMatch(
      /permission works, but Microsoft Graph does not know x@contoso\.com/,
    );
  });

  it('tells a scoped app refusing the address from a missing permission', () => {
    const scoped = {
      kind: 'httpError',
      status: 403,
      code: 'ErrorAccessDenied',
      message: 'Access to OData is disabled.',
    } as const;
    const outside = judgeScheduleCall(scoped, 'a@contoso.com');
    expect(!outside.ok && outside.reason).toMatch(/outside its scope.*GRAPH_ANCHOR_MAILBOX/);
    expect(!outside.ok && outside.reason).not.toMatch(/grant the app/);
    const badAnchor = judgeScheduleCall(scoped, 'a@contoso.com', 'anchor@contoso.com');
    expect(!badAnchor.ok && badAnchor.reason).toMatch(
      /refused GRAPH_ANCHOR_MAILBOX anchor@contoso\.com.*every lookup would fail/,
    );
    const onPremises = judgeScheduleCall(
      {
        kind: 'httpError',
        status: 404,
        code: 'MailboxNotEnabledForRESTAPI',
        message: 'REST API is not yet supported for this mailbox.',
      },
      'a@contoso.com',
    );
    expect(!onPremises.ok && onPremises.reason).toMatch(/on premises/);
  });

  it('passes on why no token could be had', () => {
    const verdict = judgeScheduleCall(
      { kind: 'tokenFailed', rejected: true, detail: 'Entra refused the client secret' },
      'a@contoso.com',
    );
    expect(verdict).toEqual({
      ok: false,
      reason: 'no Graph token: Entra refused the client secret',
    });
  });
});
