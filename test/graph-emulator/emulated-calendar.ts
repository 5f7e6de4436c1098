/**
 * The calendars the Graph emulator serves, programmed by each test, and the getSchedule JSON
 * made from them the way the service writes it (docs/protocol.md section 6): UTC times with seven
 * fractional digits, statuses written as the test spells them (the service varies the case),
 * private items without subject or location, per-schedule errors with null scheduleItems,
 * working hours with a named (Windows or IANA) or a custom zone.
 */

export interface EmulatedEvent {
  /** ISO instants ("2024-03-11T09:00:00Z"). */
  readonly start: string;
  readonly end: string;
  /** Written as given: "busy", "Busy", "workingElsewhere", "OOF", "unknown"... */
  readonly status: string;
  readonly subject?: string;
  readonly location?: string;
  readonly isPrivate?: boolean;
  readonly isMeeting?: boolean;
  readonly isRecurring?: boolean;
  readonly isException?: boolean;
  readonly isReminderSet?: boolean;
}

export interface EmulatedMailbox {
  readonly events?: readonly EmulatedEvent[];
  /** Graph's workingHours JSON as is; omitted = a Pacific Monday-to-Friday; null = none. */
  readonly workingHours?: Record<string, unknown> | null;
  /** Reported instead of the schedule (e.g. no free/busy access). */
  readonly scheduleError?: { readonly message: string; readonly responseCode: string };
  /**
   * A distribution list: getSchedule accepts one and answers it with the merged
   * availabilityView of its members and no scheduleItems; its members count toward the
   * schedules of the call ("applies to the number of users identified individually or as
   * members of a distribution list": microsoft-graph-docs-contrib,
   * concepts/outlook-get-free-busy-schedule.md).
   */
  readonly members?: readonly string[];
  /**
   * An alias: Graph answers the schedule under the mailbox's primary address, so the
   * scheduleId is not the address the relay sent.
   */
  readonly primaryAddress?: string;
  /**
   * A hybrid mailbox still on premises (or an unlicensed one): refused as the mailbox of the
   * URL with 404 MailboxNotEnabledForRESTAPI (microsoft-graph-docs-contrib issue #6519,
   * O365/python-o365 issue #438), but answered in the body through cross-premises free/busy.
   */
  readonly onPremises?: boolean;
  /** Any call whose body holds this mailbox takes at least this long (cross-premises). */
  readonly latencyMs?: number;
}

/** How the emulated service writes scheduleItems (switches a test may turn). */
export interface ScheduleWriting {
  /**
   * Items per schedule before the answer is cut off (the service's own bound: "calendar
   * datasets returning more than 1000 entries", microsoftgraph/microsoft-graph-docs PR
   * #21589); the availabilityView stays whole.
   */
  readonly maxItemsPerSchedule: number;
  /**
   * Write items without subject, location and isPrivate, as app-only answers do when the
   * owner's calendar settings do not let the caller see them (concepts/
   * outlook-get-free-busy-schedule.md, "Event data returned").
   */
  readonly omitDetails: boolean;
}

export const PACIFIC_WORKING_HOURS = {
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  startTime: '08:00:00.0000000',
  endTime: '17:00:00.0000000',
  timeZone: { name: 'Pacific Standard Time' },
} as const;

/**
 * availabilityView digits. Working elsewhere is written as 0, "for backward compatibility"
 * (microsoft-graph-docs PRs #9360 and #9369), not the 4 older pages showed.
 */
const VIEW_DIGITS: Readonly<Record<string, string>> = {
  free: '0',
  tentative: '1',
  busy: '2',
  oof: '3',
  workingelsewhere: '0',
};

export class EmulatedCalendar {
  private readonly mailboxes = new Map<string, EmulatedMailbox>();

  /** Adds or replaces a mailbox; the address is matched case-insensitively. */
  set(address: string, mailbox: EmulatedMailbox = {}): this {
    this.mailboxes.set(address.toLowerCase(), mailbox);
    return this;
  }

  has(address: string): boolean {
    return this.mailboxes.has(address.toLowerCase());
  }

  get(address: string): EmulatedMailbox | undefined {
    return this.mailboxes.get(address.toLowerCase());
  }

  clear(): void {
    this.mailboxes.clear();
  }

  /** How many schedules `requested` counts as toward the call's limit (a list: its members). */
  weightOf(requested: string): number {
    return this.get(requested)?.members?.length ?? 1;
  }

  /** One element of getSchedule's value[] for `requested`, as the service would write it. */
  scheduleFor(
    requested: string,
    window: { readonly startMs: number; readonly endMs: number },
    intervalMinutes: number,
    writing: ScheduleWriting = { maxItemsPerSchedule: Infinity, omitDetails: false },
  ): Record<string, unknown> {
    const mailbox = this.get(requested);
    if (mailbox === undefined) {
      return {
        scheduleId: requested,
        availabilityView: '',
        scheduleItems: null,
        error: {
          message: `Unable to resolve e-mail address ${requested} to an Active Directory object.`,
          responseCode: '5009',
        },
      };
    }
    const scheduleId = mailbox.primaryAddress ?? requested;
    if (mailbox.scheduleError !== undefined) {
      return {
        scheduleId,
        availabilityView: '',
        scheduleItems: null,
        error: mailbox.scheduleError,
      };
    }
    if (mailbox.members !== undefined) {
      // A list: the merged view of its members, and no items at all.
      const events = mailbox.members.flatMap((member) => this.eventsOf(member, window));
      return {
        scheduleId,
        availabilityView: availabilityView(events, window, intervalMinutes),
        scheduleItems: [],
      };
    }
    const events = this.eventsOf(requested, window);
    return {
      scheduleId,
      availabilityView: availabilityView(events, window, intervalMinutes),
      scheduleItems: events
        .slice(0, writing.maxItemsPerSchedule)
        .map((e) => itemOf(e, writing.omitDetails)),
      workingHours:
        mailbox.workingHours === undefined ? PACIFIC_WORKING_HOURS : mailbox.workingHours,
    };
  }

  /** The events of one mailbox overlapping the window, in start order. */
  private eventsOf(
    address: string,
    window: { readonly startMs: number; readonly endMs: number },
  ): Array<EmulatedEvent & { startMs: number; endMs: number }> {
    return (this.get(address)?.events ?? [])
      .map((e) => ({ ...e, startMs: Date.parse(e.start), endMs: Date.parse(e.end) }))
      .filter((e) => e.startMs < window.endMs && e.endMs > window.startMs)
      .sort((a, b) => a.startMs - b.startMs);
  }
}

function itemOf(
  e: EmulatedEvent & { startMs: number; endMs: number },
  omitDetails: boolean,
): Record<string, unknown> {
  const times = {
    start: { dateTime: graphDateTime(e.startMs), timeZone: 'UTC' },
    end: { dateTime: graphDateTime(e.endMs), timeZone: 'UTC' },
  };
  if (omitDetails) return { status: e.status, ...times };
  return {
    isPrivate: e.isPrivate ?? false,
    status: e.status,
    ...(e.isPrivate ? {} : { subject: e.subject ?? '', location: e.location ?? '' }),
    isMeeting: e.isMeeting ?? false,
    isRecurring: e.isRecurring ?? false,
    isException: e.isException ?? false,
    isReminderSet: e.isReminderSet ?? false,
    ...times,
  };
}

/** "2019-03-15T12:00:00.0000000": what Graph writes without a Prefer: outlook.timezone. */
export function graphDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000`;
}

function availabilityView(
  events: ReadonlyArray<{ startMs: number; endMs: number; status: string }>,
  window: { readonly startMs: number; readonly endMs: number },
  intervalMinutes: number,
): string {
  const slotMs = intervalMinutes * 60_000;
  let view = '';
  for (let slot = window.startMs; slot < window.endMs; slot += slotMs) {
    const digits = events
      .filter((e) => e.startMs < slot + slotMs && e.endMs > slot)
      .map((e) => VIEW_DIGITS[e.status.toLowerCase()] ?? '0');
    view += digits.length === 0 ? '0' : digits.sort().at(-1);
  }
  return view;
}
