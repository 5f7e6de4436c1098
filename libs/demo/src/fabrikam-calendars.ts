import type { DemoMailbox, Weekday } from './demo-calendars';

/**
 * The second demo tenant: a few fabrikam.com mailboxes in Berlin, so that `npm run demo` shows
 * several Microsoft 365 tenants behind one relay (docs/tenants.md): each domain of the samples is
 * a tenant of its own, and one request may mix them. Weeks that repeat, written in local time
 * (Europe/Berlin, summer time included), as demo-calendars.ts writes contoso's.
 */

const MON: Weekday = 1;
const TUE: Weekday = 2;
const WED: Weekday = 3;
const THU: Weekday = 4;
const FRI: Weekday = 5;
const WEEKDAYS: readonly Weekday[] = [MON, TUE, WED, THU, FRI];

const at = (hours: number, minutes = 0): number => hours * 60 + minutes;

export const FABRIKAM_MAILBOXES: readonly DemoMailbox[] = [
  {
    // Working hours in the Windows zone name Outlook gives Berlin.
    address: 'lars.becker@fabrikam.com',
    zone: 'Europe/Berlin',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(8),
      endMinutes: at(17),
      zone: { kind: 'named', name: 'W. Europe Standard Time' },
    },
    events: [
      {
        kind: 'timed',
        key: 'standup',
        on: WEEKDAYS,
        start: at(9),
        minutes: 15,
        status: 'Busy',
        subject: 'Sales standup',
        location: 'Microsoft Teams Meeting',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'pipeline',
        on: [MON],
        start: at(10),
        minutes: 90,
        status: 'Busy',
        subject: 'Quarterly pipeline review',
        location: 'Berlin office, Spree room',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'contoso-lunch',
        on: [TUE],
        start: at(12, 30),
        minutes: 90,
        status: 'Busy',
        subject: 'Lunch with Contoso',
        location: 'Markthalle Neun',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'supplier',
        on: [WED],
        start: at(14),
        minutes: 120,
        status: 'Tentative',
        subject: 'Supplier negotiation (hold)',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'daycare',
        on: [THU],
        start: at(16),
        minutes: 60,
        status: 'Busy',
        subject: 'Daycare pick-up',
        isPrivate: true,
      },
      {
        kind: 'allDay',
        key: 'trade-fair',
        on: [FRI],
        days: 1,
        status: 'OOF',
        subject: 'Trade fair',
        location: 'Hannover',
      },
    ],
  },
  {
    // A four-day week.
    address: 'jana.richter@fabrikam.com',
    zone: 'Europe/Berlin',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday'],
      startMinutes: at(8),
      endMinutes: at(16, 30),
      zone: { kind: 'named', name: 'W. Europe Standard Time' },
    },
    events: [
      {
        kind: 'timed',
        key: 'check-in',
        on: [MON],
        start: at(8, 30),
        minutes: 30,
        status: 'Busy',
        subject: 'HR team check-in',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'works-council',
        on: [TUE],
        start: at(10),
        minutes: 120,
        status: 'Busy',
        subject: 'Works council meeting',
        location: 'Berlin office, Havel room',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'home',
        on: [WED],
        start: at(8),
        minutes: 8 * 60 + 30,
        status: 'WorkingElsewhere',
        subject: 'Working from home',
      },
      {
        kind: 'timed',
        key: 'physio',
        on: [THU],
        start: at(15),
        minutes: 60,
        status: 'Busy',
        subject: 'Physiotherapy',
        isPrivate: true,
      },
    ],
  },
  {
    address: 'tobias.wagner@fabrikam.com',
    zone: 'Europe/Berlin',
    workingHours: {
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: at(9),
      endMinutes: at(18),
      zone: { kind: 'named', name: 'Europe/Berlin' },
    },
    events: [
      {
        kind: 'timed',
        key: 'standup',
        on: [MON, TUE, THU, FRI],
        start: at(9, 15),
        minutes: 15,
        status: 'Busy',
        subject: 'Engineering standup',
        location: 'Microsoft Teams Meeting',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'sprint-review',
        on: [TUE],
        start: at(11),
        minutes: 90,
        status: 'Busy',
        subject: 'Sprint review',
        isMeeting: true,
        recurring: true,
      },
      {
        kind: 'timed',
        key: 'train',
        on: [WED],
        start: at(7),
        minutes: 4 * 60 + 30,
        status: 'OOF',
        subject: 'Train Berlin - Munich',
        location: 'Berlin Hbf',
      },
      {
        kind: 'timed',
        key: 'workshop',
        on: [WED],
        start: at(13),
        minutes: 4 * 60,
        status: 'Busy',
        subject: 'Customer workshop',
        location: 'Fabrikam Munich office',
        isMeeting: true,
      },
      {
        kind: 'timed',
        key: 'team-lunch',
        on: [FRI],
        start: at(12),
        minutes: 60,
        status: 'Tentative',
        subject: 'Team lunch',
        isMeeting: true,
      },
    ],
  },
];
