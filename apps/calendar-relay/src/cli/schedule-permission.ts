import type { GraphScheduleClient } from '@app/graph';

export type ScheduleCallOutcome = Awaited<ReturnType<GraphScheduleClient['getSchedule']>>;

/** What one getSchedule call proves about the relay's Entra app. Pure. */
export type PermissionVerdict =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string };

/** The Graph keys a verdict may tell the admin to change. */
export type GraphKeyName = 'GRAPH_ANCHOR_MAILBOX' | 'GRAPH_ENDPOINT' | 'GRAPH_AUTHORITY';

export function judgeScheduleCall(
  outcome: ScheduleCallOutcome,
  address: string,
  /** The mailbox in the URL: GRAPH_ANCHOR_MAILBOX when set, else the address itself. */
  anchor: string = address,
  /** How the keys are spelt for this tenant (`TENANT_CONTOSO_GRAPH_ANCHOR_MAILBOX`). */
  key: (name: GraphKeyName) => string = (name) => name,
): PermissionVerdict {
  switch (outcome.kind) {
    case 'answered': {
      const schedule = outcome.schedules[0] as
        | { error?: { message?: unknown; responseCode?: unknown }; scheduleItems?: unknown }
        | undefined;
      const error = schedule?.error;
      if (error !== undefined && error !== null) {
        const message = typeof error.message === 'string' ? error.message : '';
        const notFound =
          error.responseCode === '5009' ||
          error.responseCode === '5016' ||
          /Unable to resolve/i.test(message);
        return {
          ok: false,
          reason: notFound
            ? `the getSchedule permission works, but Microsoft Graph does not know ${address} (Google would show "Invalid attendee")`
            : `getSchedule answered, with an error for ${address}: ${message || String(error.responseCode)}`,
        };
      }
      const items = Array.isArray(schedule?.scheduleItems) ? schedule.scheduleItems.length : 0;
      return {
        ok: true,
        detail: `getSchedule for ${address} works: ${items} item${items === 1 ? '' : 's'} today (UTC)`,
      };
    }
    case 'httpError': {
      const said = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}`;
      if (outcome.status === 403 && /access to odata is disabled/i.test(outcome.message ?? '')) {
        // An application access policy or RBAC for Applications scope leaves the anchor out
        // (microsoft-graph-docs-contrib concepts/auth-limit-mailbox-access.md).
        return {
          ok: false,
          reason:
            anchor === address
              ? `Microsoft Graph refused getSchedule through ${address} (${said}): the app is scoped and ${address} is outside its scope. The relay then answers it through another mailbox; set ${key('GRAPH_ANCHOR_MAILBOX')} to a mailbox inside the scope, or try --address with one`
              : `Microsoft Graph refused ${key('GRAPH_ANCHOR_MAILBOX')} ${anchor} (${said}): it is outside the app's scope; every lookup would fail until it names a mailbox inside it`,
        };
      }
      if (outcome.status === 404 && outcome.code === 'MailboxNotEnabledForRESTAPI') {
        return {
          ok: false,
          reason: `Microsoft Graph cannot use ${anchor} as the request's mailbox (${said}): it is on premises or has no Exchange Online licence${anchor === address ? `; set ${key('GRAPH_ANCHOR_MAILBOX')} to a mailbox in Exchange Online` : ''}`,
        };
      }
      if (outcome.status === 403) {
        return {
          ok: false,
          reason: `Microsoft Graph refused getSchedule (${said}): grant the app the Calendars.ReadBasic.All application permission with admin consent (or, for a scoped app, an RBAC for Applications role assignment whose scope holds ${address})`,
        };
      }
      if (outcome.status === 401) {
        return {
          ok: false,
          reason: `Microsoft Graph refused the token (${said}): does ${key('GRAPH_ENDPOINT')} belong to the same cloud as ${key('GRAPH_AUTHORITY')}?`,
        };
      }
      if (outcome.status === 404) {
        return {
          ok: false,
          reason: `Microsoft Graph has no mailbox ${address} (${said}): is it an Exchange Online mailbox? (Google would show "Invalid attendee")`,
        };
      }
      return { ok: false, reason: `Microsoft Graph answered ${said}` };
    }
    case 'tokenFailed':
      return { ok: false, reason: `no Graph token: ${outcome.detail}` };
    case 'network':
      return { ok: false, reason: `Microsoft Graph could not be reached: ${outcome.detail}` };
    case 'unreadable':
      return { ok: false, reason: `Microsoft Graph's answer was unreadable: ${outcome.detail}` };
    case 'aborted':
      return { ok: false, reason: 'Microsoft Graph did not answer in time' };
  }
}
