import type { BusyStatus, WorkingHours } from '@app/availability';
import { FABRIKAM_MAILBOXES } from './fabrikam-calendars';

/**
 * The demo tenant: a handful of contoso.com mailboxes whose weeks repeat, so any window (this
 * week, or the 2024 weeks of the EWS fixtures) has something to show. Each event is written in
 * its owner's local time and placed on the calendar by the generator.
 */

/** 0 = Sunday ... 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const SUN = 0;
const MON = 1;
const TUE = 2;
const WED = 3;
const THU = 4;
const FRI = 5;
const SAT = 6;
const WEEKDAYS: readonly Weekday[] = [MON, TUE, WED, THU, FRI];

interface EventRuleBase {
  /** Stable part of the event ids. */
  readonly key: string;
  /** The weekdays on which the event starts (owner's local calendar). */
  readonly on: readonly Weekday[];
  readonly status: BusyStatus;
  readonly subject: string;
  readonly location?: string;
  readonly isPrivate?: boolean;
  readonly isMeeting?: boolean;
  /** An occurrence of a recurring series; `exception` when it was moved from its usual slot. */
  readonly recurring?: boolean;
  readonly exception?: boolean;
}

export type DemoEventRule =
  | (EventRuleBase & {
      readonly kind: 'timed';
      /** Local start, minutes after midnight. */
      readonly start: number;
      readonly minutes: number;
    })
  | (EventRuleBase & {
      readonly kind: 'allDay';
      /** Whole local days, from midnight to midnight. */
      readonly days: number;
    });

export interface DemoMailbox {
  readonly address: string;
  /** The IANA zone the owner's local times are in. */
  readonly zone: string;
  readonly workingHours?: WorkingHours;
  readonly events: readonly DemoEventRule[];
}

const at = (hours: number, minutes = 0): number => hours * 60 + minutes;

export const DEMO_MAILBOXES: readonly DemoMailbox[] = [
  ...FABRIKAM_MAILBOXES,
  {
    // Working hours in a Windows zone name, as Graph reports them for most Outlook users.
    address: 'adele.vance@contoso.com',
    zone: 'America/Los_Angeles',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(8),
      endMinutes: at(17),
      zone: { kind: 'named', name: 'Pacific Standard Time' },
    },
    events: [
      {
        kind: 'timed',
        key: 'standup',
        on: [MON, TUE, THU, FRI],
        start: at(9),
        minutes: 15,
        status: 'Busy',
        subject: 'Daily standup',
        location: 'Microsoft Teams Meeting',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'standup',
        on: [WED],
        start: at(9, 30),
        minutes: 15,
        status: 'Busy',
        subject: 'Daily standup (moved)',
        location: 'Microsoft Teams Meeting',
        isMeeting: true,
        recurring: true,
        exception: true,
      },
      {
        kind: 'timed',
        key: 'roadmap',
        on: [MON],
        start: at(10),
        minutes: 60,
        status: 'Busy',
        subject: 'Product roadmap review',
        location: 'Boardroom',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'one-on-one',
        on: [TUE],
        start: at(13),
        minutes: 30,
        status: 'Busy',
        subject: '1:1 Adele / Megan',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'architecture',
        on: [WED],
        start: at(14),
        minutes: 90,
        status: 'Tentative',
        subject: 'Architecture review',
        location: 'Building 4, Room 1201',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'doctor',
        on: [THU],
        start: at(12),
        minutes: 60,
        status: 'Busy',
        subject: 'Doctor appointment',
        location: 'Downtown clinic',
        isPrivate: true,
      },
      {
        kind: 'timed',
        key: 'family',
        on: [SAT],
        start: at(9),
        minutes: 180,
        status: 'Busy',
        subject: 'Family brunch',
        isPrivate: true,
      },
      {
        kind: 'timed',
        key: 'flight',
        on: [SUN],
        start: at(15),
        minutes: 150,
        status: 'OOF',
        subject: 'Flight SEA - SFO',
        location: 'Seattle-Tacoma International Airport',
      },
    ],
  },
  {
    // Working hours in an IANA zone name (Graph passes through what the mailbox has).
    address: 'megan.bowen@contoso.com',
    zone: 'Europe/Berlin',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(9),
      endMinutes: at(17, 30),
      zone: { kind: 'named', name: 'Europe/Berlin' },
    },
    events: [
      {
        kind: 'timed',
        key: 'standup',
        on: WEEKDAYS,
        start: at(9, 30),
        minutes: 15,
        status: 'Busy',
        subject: 'Marketing standup',
        location: 'Microsoft Teams Meeting',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'campaign',
        on: [MON],
        start: at(14),
        minutes: 60,
        status: 'Busy',
        subject: 'Campaign sync',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'munich',
        on: [WED],
        start: at(9),
        minutes: 8 * 60,
        status: 'WorkingElsewhere',
        subject: 'Working from the Munich office',
        location: 'Munich',
      },
      {
        kind: 'timed',
        key: 'interview',
        on: [THU],
        start: at(11),
        minutes: 60,
        status: 'Tentative',
        subject: 'Press interview',
        isMeeting: true,
      },
      {
        kind: 'allDay',
        key: 'ooo',
        on: [FRI],
        days: 1,
        status: 'OOF',
        subject: 'Out of office',
      },
    ],
  },
  {
    // Working hours in a custom zone (Graph's customTimeZone): Sydney's rules under Outlook's
    // generic name. Biases in the Windows sign: UTC = local + bias.
    address: 'alex.wilber@contoso.com',
    zone: 'Australia/Sydney',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(8, 30),
      endMinutes: at(17),
      zone: {
        kind: 'custom',
        name: 'Customized Time Zone',
        bias: -600,
        standard: { bias: 0, timeMinutes: at(3), dayOrder: 1, month: 4, dayOfWeek: 'Sunday' },
        daylight: { bias: -60, timeMinutes: at(2), dayOrder: 1, month: 10, dayOfWeek: 'Sunday' },
      },
    },
    events: [
      {
        kind: 'timed',
        key: 'check-in',
        on: WEEKDAYS,
        start: at(8, 45),
        minutes: 15,
        status: 'Busy',
        subject: 'Team check-in',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'workshop',
        on: [TUE],
        start: at(10),
        minutes: 120,
        status: 'Tentative',
        subject: 'Customer workshop',
        location: 'Fabrikam, Level 12',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'personal',
        on: [WED],
        start: at(13),
        minutes: 60,
        status: 'Busy',
        subject: 'Personal errand',
        isPrivate: true,
      },
      {
        kind: 'timed',
        key: 'sprint-demo',
        on: [THU],
        start: at(16),
        minutes: 60,
        status: 'Busy',
        subject: 'Sprint demo',
        isMeeting: true,
        recurring: true,
      },
    ],
  },
  {
    address: 'diego.siciliani@contoso.com',
    zone: 'Europe/London',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(9),
      endMinutes: at(17, 30),
      zone: { kind: 'named', name: 'GMT Standard Time' },
    },
    events: [
      {
        kind: 'allDay',
        key: 'summit',
        on: [TUE],
        days: 2,
        status: 'Busy',
        subject: 'Contoso Tech Summit',
        location: 'Lisbon',
      },
      {
        kind: 'timed',
        key: 'home',
        on: [THU],
        start: at(9),
        minutes: 8 * 60 + 30,
        status: 'WorkingElsewhere',
        subject: 'Working from home',
      },
      {
        kind: 'timed',
        key: 'weekly',
        on: [FRI],
        start: at(10),
        minutes: 30,
        status: 'Busy',
        subject: 'Weekly sync',
        isMeeting: true,
        recurring: true,
      },
    ],
  },
  {
    // A four-day week, and a long weekend off every week.
    address: 'patti.fernandez@contoso.com',
    zone: 'America/New_York',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday'],
      startMinutes: at(7),
      endMinutes: at(15, 30),
      zone: { kind: 'named', name: 'Eastern Standard Time' },
    },
    events: [
      {
        kind: 'timed',
        key: 'budget',
        on: [MON],
        start: at(11),
        minutes: 60,
        status: 'Busy',
        subject: 'Budget review',
        location: 'Finance war room',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'dentist',
        on: [TUE],
        start: at(15, 30),
        minutes: 60,
        status: 'Busy',
        subject: 'Dentist',
        isPrivate: true,
      },
      {
        kind: 'allDay',
        key: 'long-weekend',
        on: [FRI],
        days: 3,
        status: 'OOF',
        subject: 'Long weekend',
      },
    ],
  },
  {
    // A room: no working hours (Graph reports none for most rooms).
    address: 'room.boardroom@contoso.com',
    zone: 'America/Los_Angeles',
    events: [
      {
        kind: 'timed',
        key: 'roadmap',
        on: [MON],
        start: at(10),
        minutes: 60,
        status: 'Busy',
        subject: 'Product roadmap review',
        location: 'Boardroom',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'board',
        on: [TUE],
        start: at(9),
        minutes: 180,
        status: 'Busy',
        subject: 'Board meeting',
        location: 'Boardroom',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'interviews',
        on: [THU],
        start: at(14),
        minutes: 60,
        status: 'Tentative',
        subject: 'Interview loop (hold)',
        location: 'Boardroom',
        isMeeting: true,
      },
    ],
  },
  {
    // Rooms of demo-rooms.ts: each with a week of bookings, answered like any mailbox.
    address: 'room.huddle@contoso.com',
    zone: 'America/Los_Angeles',
    events: [
      {
        kind: 'timed',
        key: 'one-on-one',
        on: [MON, WED, FRI],
        start: at(11),
        minutes: 30,
        status: 'Busy',
        subject: '1:1',
        location: 'Huddle room',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'pairing',
        on: [TUE, THU],
        start: at(14),
        minutes: 120,
        status: 'Busy',
        subject: 'Pairing session',
        location: 'Huddle room',
        isMeeting: true,
      },
    ],
  },
  {
    address: 'room.training@contoso.com',
    zone: 'America/New_York',
    events: [
      {
        kind: 'timed',
        key: 'onboarding',
        on: [MON],
        start: at(9),
        minutes: 240,
        status: 'Busy',
        subject: 'New hire onboarding',
        location: 'Training room',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'workshop-hold',
        on: [WED],
        start: at(13),
        minutes: 180,
        status: 'Tentative',
        subject: 'Workshop (hold)',
        location: 'Training room',
        isMeeting: true,
      },
    ],
  },
  {
    // In no room list: only the all-rooms list (ALL_ROOMS_LIST_ADDRESS) shows it.
    address: 'room.lab@contoso.com',
    zone: 'Europe/Berlin',
    events: [
      {
        kind: 'allDay',
        key: 'maintenance',
        on: [THU],
        days: 1,
        status: 'Busy',
        subject: 'Lab maintenance',
      },
    ],
  },
];
