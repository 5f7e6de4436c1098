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
}

export const PACIFIC_WORKING_HOURS = {
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  startTime: '08:00:00.0000000',
  endTime: '17:00:00.0000000',
  timeZone: { name: 'Pacific Standard Time' },
} as const;

const VIEW_DIGITS: Readonly<Record<string, string>> = {
  free: '0',
  tentative: '1',
  busy: '2',
  oof: '3',
  workingelsewhere: '4',
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

  clear(): void {
    this.mailboxes.clear();
  }

  /** One element of getSchedule's value[] for `requested`, as the service would write it. */
  scheduleFor(
    requested: string,
    window: { readonly startMs: number; readonly endMs: number },
    intervalMinutes: number,
  ): Record<string, unknown> {
    const mailbox = this.mailboxes.get(requested.toLowerCase());
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
    if (mailbox.scheduleError !== undefined) {
      return {
        scheduleId: requested,
        availabilityView: '',
        scheduleItems: null,
        error: mailbox.scheduleError,
      };
    }
    const events = (mailbox.events ?? [])
      .map((e) => ({ ...e, startMs: Date.parse(e.start), endMs: Date.parse(e.end) }))
      .filter((e) => e.startMs < window.endMs && e.endMs > window.startMs);
    return {
      scheduleId: requested,
      availabilityView: availabilityView(events, window, intervalMinutes),
      scheduleItems: events.map((e) => ({
        isPrivate: e.isPrivate ?? false,
        status: e.status,
        ...(e.isPrivate ? {} : { subject: e.subject ?? '', location: e.location ?? '' }),
        isMeeting: e.isMeeting ?? false,
        isRecurring: e.isRecurring ?? false,
        isException: e.isException ?? false,
        isReminderSet: e.isReminderSet ?? false,
        start: { dateTime: graphDateTime(e.startMs), timeZone: 'UTC' },
        end: { dateTime: graphDateTime(e.endMs), timeZone: 'UTC' },
      })),
      workingHours:
        mailbox.workingHours === undefined ? PACIFIC_WORKING_HOURS : mailbox.workingHours,
    };
  }
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
