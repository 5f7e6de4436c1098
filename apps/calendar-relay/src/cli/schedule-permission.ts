import type { GraphScheduleClient } from '@app/graph';

export type ScheduleCallOutcome = Awaited<ReturnType<GraphScheduleClient['getSchedule']>>;

/** What one getSchedule call proves about the relay's Entra app. Pure. */
export type PermissionVerdict =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string };

export function judgeScheduleCall(
  outcome: ScheduleCallOutcome,
  address: string,
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
      if (outcome.status === 403) {
        return {
          ok: false,
          reason: `Microsoft Graph refused getSchedule (${said}): grant the app the Calendars.ReadBasic application permission, with admin consent`,
        };
      }
      if (outcome.status === 401) {
        return {
          ok: false,
          reason: `Microsoft Graph refused the token (${said}): does GRAPH_ENDPOINT belong to the same cloud as GRAPH_AUTHORITY?`,
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
