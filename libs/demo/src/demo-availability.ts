import {
  domainOf,
  mailboxKey,
  type CalendarEvent,
  type MailboxAvailability,
  type UtcWindow,
} from '@app/availability';
import { DEMO_MAILBOXES, type DemoEventRule, type DemoMailbox } from './demo-calendars';
import { compactDate, DAY_MS, localToUtcMs, weekdayOf, type DayNumber } from './zoned-time';

/**
 * The demo provider's answers, generated from the weekly patterns of demo-calendars.ts: the same
 * query always gets the same answer, and every window, in any year, has events. Pure.
 */

export interface DemoQuery {
  /** One answer per address, in this order. */
  readonly mailboxes: readonly string[];
  readonly window: UtcWindow;
  readonly wantDetails: boolean;
}

/** The longest event of the patterns, in days: how far back an overlapping event can start. */
const LONGEST_EVENT_DAYS = Math.max(
  1,
  ...DEMO_MAILBOXES.flatMap((m) => m.events.map((e) => (e.kind === 'allDay' ? e.days : 1))),
);
/** Local dates differ from UTC dates by at most a day (offsets stay within +-14 hours). */
const ZONE_MARGIN_DAYS = 1;

const byAddress = new Map(DEMO_MAILBOXES.map((m) => [m.address, m]));

export function demoAvailability(query: DemoQuery): MailboxAvailability[] {
  return query.mailboxes.map((address): MailboxAvailability => {
    const mailbox = byAddress.get(mailboxKey(address));
    if (mailbox === undefined) return { address, outcome: 'failed', reason: 'recipientNotFound' };
    return {
      address,
      outcome: 'ok',
      events: eventsOf(mailbox, query.window, query.wantDetails),
      ...(mailbox.workingHours !== undefined ? { workingHours: mailbox.workingHours } : {}),
    };
  });
}

/**
 * The demo's tenants: one per domain of the sample mailboxes (contoso.com, fabrikam.com), named
 * by its first label, in domain order.
 */
export const DEMO_TENANTS: readonly { readonly name: string; readonly domain: string }[] = [
  ...new Set(DEMO_MAILBOXES.map((m) => domainOf(m.address) ?? '')),
]
  .sort()
  .map((domain) => ({ name: domain.split('.')[0], domain }));

/** The mailbox's events overlapping the window, whole (not clipped), sorted by start. */
export function eventsOf(
  mailbox: DemoMailbox,
  window: UtcWindow,
  wantDetails: boolean,
): CalendarEvent[] {
  if (window.endMs <= window.startMs) return [];
  const firstDay = Math.floor(window.startMs / DAY_MS) - ZONE_MARGIN_DAYS - LONGEST_EVENT_DAYS;
  const lastDay = Math.floor((window.endMs - 1) / DAY_MS) + ZONE_MARGIN_DAYS;
  const events: CalendarEvent[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOf(day);
    for (const rule of mailbox.events) {
      if (!rule.on.includes(weekday as DemoEventRule['on'][number])) continue;
      const event = occurrence(mailbox, rule, day, wantDetails);
      if (event.startMs < window.endMs && event.endMs > window.startMs) events.push(event);
    }
  }
  return events.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

function occurrence(
  mailbox: DemoMailbox,
  rule: DemoEventRule,
  day: DayNumber,
  wantDetails: boolean,
): CalendarEvent {
  const [startMs, endMs] =
    rule.kind === 'timed'
      ? [
          localToUtcMs(mailbox.zone, day, rule.start),
          localToUtcMs(mailbox.zone, day, rule.start) + rule.minutes * 60_000,
        ]
      : [localToUtcMs(mailbox.zone, day, 0), localToUtcMs(mailbox.zone, day + rule.days, 0)];
  if (!wantDetails) return { startMs, endMs, status: rule.status };
  return {
    startMs,
    endMs,
    status: rule.status,
    details: {
      id: `DEMO-${mailbox.address.split('@')[0]}-${rule.key}-${compactDate(day)}`,
      subject: rule.subject,
      ...(rule.location !== undefined ? { location: rule.location } : {}),
      isMeeting: rule.isMeeting ?? false,
      isRecurring: rule.recurring ?? false,
      isException: rule.exception ?? false,
      isReminderSet: rule.kind === 'timed',
      isPrivate: rule.isPrivate ?? false,
    },
  };
}
