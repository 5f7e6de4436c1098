import type { MailboxAvailability } from '@app/availability';
import type { GraphScheduleInformation } from './graph-schedule-wire';
import { busyStatusFromGraph, mapScheduleAnswer, mapScheduleInformation } from './schedule-mapping';
import { reasonForScheduleError } from './schedule-error-mapping';

const window = { startMs: Date.UTC(2024, 2, 11, 0), endMs: Date.UTC(2024, 2, 12, 0) };
const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

/** Shaped like a real getSchedule element (no Prefer header: UTC, seven fractional digits). */
const adele: GraphScheduleInformation = {
  scheduleId: 'AdeleV@contoso.com',
  availabilityView: '000220000',
  scheduleItems: [
    {
      isPrivate: false,
      status: 'Busy',
      subject: "Let's go for lunch",
      location: "Harry's Bar",
      isMeeting: true,
      isRecurring: false,
      isException: false,
      isReminderSet: true,
      start: utc('2024-03-11T19:00:00.0000000'),
      end: utc('2024-03-11T20:00:00.0000000'),
    },
    {
      isPrivate: true,
      status: 'oof',
      subject: 'Doctor',
      location: 'Clinic',
      start: utc('2024-03-11T08:00:00.0000000'),
      end: utc('2024-03-11T09:30:00.0000000'),
    },
    {
      status: 'tentative',
      start: utc('2024-03-10T23:30:00.0000000'),
      end: utc('2024-03-11T00:30:00.0000000'),
    },
    {
      status: 'busy',
      start: utc('2024-03-12T00:00:00.0000000'),
      end: utc('2024-03-12T01:00:00.0000000'),
    },
  ],
  workingHours: {
    daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    startTime: '08:00:00.0000000',
    endTime: '17:00:00.0000000',
    timeZone: { name: 'Pacific Standard Time' },
  },
};

function ok(result: MailboxAvailability) {
  if (result.outcome !== 'ok') throw new Error(`expected ok, got ${result.reason}`);
  return result;
}

describe('mapScheduleInformation', () => {
  it('returns overlapping events whole, sorted, in UTC, with statuses in EWS words', () => {
    const result = ok(
      mapScheduleInformation(adele, 'adelev@contoso.com', { window, includeDetails: false }),
    );
    expect(result.address).toBe('adelev@contoso.com');
    expect(result.events).toEqual([
      {
        startMs: Date.UTC(2024, 2, 10, 23, 30),
        endMs: Date.UTC(2024, 2, 11, 0, 30),
        status: 'Tentative',
      },
      { startMs: Date.UTC(2024, 2, 11, 8), endMs: Date.UTC(2024, 2, 11, 9, 30), status: 'OOF' },
      { startMs: Date.UTC(2024, 2, 11, 19), endMs: Date.UTC(2024, 2, 11, 20), status: 'Busy' },
    ]);
  });

  it('carries subject, location and flags when details are wanted', () => {
    const result = ok(mapScheduleInformation(adele, 'a', { window, includeDetails: true }));
    expect(result.events[2].details).toEqual({
      subject: "Let's go for lunch",
      location: "Harry's Bar",
      isMeeting: true,
      isRecurring: false,
      isException: false,
      isReminderSet: true,
      isPrivate: false,
    });
  });

  it('never keeps the subject or location of a private item, even when Graph sends them', () => {
    const result = ok(mapScheduleInformation(adele, 'a', { window, includeDetails: true }));
    const doctor = result.events[1];
    expect(doctor.details).toEqual({
      isMeeting: false,
      isRecurring: false,
      isException: false,
      isReminderSet: false,
      isPrivate: true,
    });
    expect(JSON.stringify(result)).not.toMatch(/Doctor|Clinic/);
  });

  it('keeps no details at all when the caller asked for free/busy only', () => {
    const result = ok(mapScheduleInformation(adele, 'a', { window, includeDetails: false }));
    expect(JSON.stringify(result)).not.toMatch(/lunch|Harry/);
  });

  it('maps working hours with a named Windows zone in the owner zone, unconverted', () => {
    expect(
      ok(mapScheduleInformation(adele, 'a', { window, includeDetails: false })).workingHours,
    ).toEqual({
      daysOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      startMinutes: 480,
      endMinutes: 1020,
      zone: { kind: 'named', name: 'Pacific Standard Time' },
    });
  });

  it('maps an IANA zone name as a named zone', () => {
    const info: GraphScheduleInformation = {
      scheduleItems: [],
      workingHours: {
        daysOfWeek: ['Saturday', 'sunday'],
        startTime: '09:30:00.0000000',
        endTime: '00:00:00.0000000',
        timeZone: { name: 'Europe/Berlin' },
      },
    };
    expect(
      ok(mapScheduleInformation(info, 'a', { window, includeDetails: false })).workingHours,
    ).toEqual({
      daysOfWeek: ['Sunday', 'Saturday'],
      startMinutes: 570,
      endMinutes: 1440,
      zone: { kind: 'named', name: 'Europe/Berlin' },
    });
  });

  it('maps a custom zone with Windows-sign biases and yearly rules', () => {
    const info: GraphScheduleInformation = {
      scheduleItems: [],
      workingHours: {
        daysOfWeek: ['monday'],
        startTime: '08:00:00.0000000',
        endTime: '16:00:00.0000000',
        timeZone: {
          '@odata.type': '#microsoft.graph.customTimeZone',
          name: 'Customized Time Zone',
          bias: 480,
          standardOffset: {
            time: '02:00:00.0000000',
            dayOccurrence: 1,
            dayOfWeek: 'sunday',
            month: 11,
            year: 0,
          },
          daylightOffset: {
            time: '02:00:00.0000000',
            dayOccurrence: 2,
            dayOfWeek: 'sunday',
            month: 3,
            year: 0,
            daylightBias: -60,
          },
        },
      },
    };
    expect(
      ok(mapScheduleInformation(info, 'a', { window, includeDetails: false })).workingHours?.zone,
    ).toEqual({
      kind: 'custom',
      name: 'Customized Time Zone',
      bias: 480,
      standard: { timeMinutes: 120, dayOrder: 1, month: 11, dayOfWeek: 'Sunday', bias: 0 },
      daylight: { timeMinutes: 120, dayOrder: 2, month: 3, dayOfWeek: 'Sunday', bias: -60 },
    });
  });

  it('maps a custom zone without daylight saving to month-0 rules', () => {
    const info: GraphScheduleInformation = {
      workingHours: {
        daysOfWeek: ['monday'],
        startTime: '09:00:00.0000000',
        endTime: '18:00:00.0000000',
        timeZone: { bias: -330, standardOffset: { month: 0 }, daylightOffset: null },
      },
    };
    const zone = ok(mapScheduleInformation(info, 'a', { window, includeDetails: false }))
      .workingHours?.zone;
    expect(zone).toMatchObject({
      kind: 'custom',
      bias: -330,
      standard: { month: 0 },
      daylight: { month: 0, bias: 0 },
    });
  });

  it('omits working hours that would render as an empty or nonsensical period', () => {
    const base = {
      daysOfWeek: ['monday'],
      startTime: '08:00:00',
      endTime: '17:00:00',
      timeZone: { name: 'UTC' },
    };
    for (const workingHours of [
      { ...base, daysOfWeek: [] },
      { ...base, timeZone: null },
      { ...base, timeZone: {} },
      { ...base, startTime: 'soon' },
      { ...base, startTime: '18:00:00' },
      null,
    ]) {
      expect(
        ok(mapScheduleInformation({ workingHours }, 'a', { window, includeDetails: false }))
          .workingHours,
      ).toBeUndefined();
    }
  });

  it('treats null scheduleItems without an error as an empty calendar', () => {
    expect(
      ok(mapScheduleInformation({ scheduleItems: null }, 'a', { window, includeDetails: false }))
        .events,
    ).toEqual([]);
  });

  it('fails the mailbox rather than drop an item whose times it cannot read', () => {
    const info: GraphScheduleInformation = {
      scheduleItems: [
        { status: 'busy', start: utc('tomorrow'), end: utc('2024-03-11T10:00:00.0000000') },
      ],
    };
    expect(
      mapScheduleInformation(info, 'a@x.com', { window, includeDetails: false }),
    ).toMatchObject({
      outcome: 'failed',
      reason: 'generationFailed',
    });
  });

  it('turns a per-schedule error into a per-mailbox failure, even with null scheduleItems', () => {
    const info: GraphScheduleInformation = {
      scheduleId: 'ghost@contoso.com',
      availabilityView: '',
      scheduleItems: null,
      error: {
        message: 'Unable to resolve e-mail address ghost@contoso.com.',
        responseCode: '5009',
      },
    };
    expect(
      mapScheduleInformation(info, 'Ghost@contoso.com', { window, includeDetails: false }),
    ).toEqual({
      address: 'Ghost@contoso.com',
      outcome: 'failed',
      reason: 'recipientNotFound',
      detail: 'Microsoft Graph response code 5009',
    });
  });
});

describe('busyStatusFromGraph', () => {
  it.each([
    ['free', 'Free'],
    ['FREE', 'Free'],
    ['Tentative', 'Tentative'],
    ['busy', 'Busy'],
    ['oof', 'OOF'],
    ['OOF', 'OOF'],
    ['workingElsewhere', 'WorkingElsewhere'],
    ['WORKINGELSEWHERE', 'WorkingElsewhere'],
    ['unknown', 'NoData'],
    ['somethingNew', 'NoData'],
    [undefined, 'NoData'],
  ])('%s -> %s', (graph, ews) => {
    expect(busyStatusFromGraph(graph)).toBe(ews);
  });
});

describe('reasonForScheduleError', () => {
  it.each([
    [{ responseCode: '5009', message: 'x' }, 'recipientNotFound'],
    [{ responseCode: 5016 }, 'recipientNotFound'],
    [
      { message: 'Unable to resolve e-mail address a@b.c to an Active Directory object.' },
      'recipientNotFound',
    ],
    [{ responseCode: 'ErrorMailRecipientNotFound' }, 'recipientNotFound'],
    [{ responseCode: 'ErrorNoFreeBusyAccess' }, 'accessDenied'],
    [{ message: 'Access is denied. Check credentials and try again.' }, 'accessDenied'],
    [{ responseCode: '5002', message: 'The server is busy' }, 'generationFailed'],
    [{}, 'generationFailed'],
  ] as const)('%j -> %s', (error, reason) => {
    expect(reasonForScheduleError(error)).toBe(reason);
  });
});

describe('mapScheduleAnswer', () => {
  const opts = { window, includeDetails: false };
  it('matches value[] to the request by scheduleId, whatever its case and order', () => {
    const results = mapScheduleAnswer(
      [
        { scheduleId: 'BOB@contoso.com', scheduleItems: [] },
        {
          scheduleId: 'ann@contoso.com',
          scheduleItems: [
            {
              status: 'busy',
              start: utc('2024-03-11T10:00:00.0000000'),
              end: utc('2024-03-11T11:00:00.0000000'),
            },
          ],
        },
      ],
      ['Ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'],
      opts,
    );
    expect(results.map((r) => [r.address, r.outcome])).toEqual([
      ['Ann@contoso.com', 'ok'],
      ['bob@contoso.com', 'ok'],
      ['cy@contoso.com', 'failed'],
    ]);
    expect(results[0]).toMatchObject({ events: [{ status: 'Busy' }] });
    expect(results[2]).toMatchObject({ reason: 'generationFailed' });
  });

  it('falls back to position for elements without an id', () => {
    const results = mapScheduleAnswer([{ scheduleItems: [] }], ['a@contoso.com'], opts);
    expect(results[0].outcome).toBe('ok');
  });

  it('matches an answer under another address (an alias Graph respelled) by position', () => {
    const busyItem = {
      status: 'busy',
      start: utc('2024-03-11T10:00:00.0000000'),
      end: utc('2024-03-11T11:00:00.0000000'),
    };
    const [alias, bob] = mapScheduleAnswer(
      [
        { scheduleId: 'adele.vance@contoso.com', scheduleItems: [busyItem] },
        { scheduleId: 'bob@contoso.com', scheduleItems: [] },
      ],
      ['a.vance@contoso.com', 'bob@contoso.com'],
      opts,
    );
    expect(alias).toMatchObject({ address: 'a.vance@contoso.com', events: [{ status: 'Busy' }] });
    expect(bob).toMatchObject({ outcome: 'ok', events: [] });
  });

  it('does not guess by position when the counts differ or the id names another request', () => {
    expect(
      mapScheduleAnswer(
        [{ scheduleId: 'someone@contoso.com', scheduleItems: [] }],
        ['a@contoso.com', 'b@contoso.com'],
        opts,
      ).map((r) => r.outcome),
    ).toEqual(['failed', 'failed']);
    // Graph answered b first and left a out: a must not get b's calendar.
    expect(
      mapScheduleAnswer(
        [
          { scheduleId: 'b@contoso.com', scheduleItems: [] },
          { scheduleId: 'b@contoso.com', scheduleItems: [] },
        ],
        ['a@contoso.com', 'b@contoso.com'],
        opts,
      ).map((r) => r.outcome),
    ).toEqual(['failed', 'ok']);
  });

  it("fills busy time its items leave out from the schedule's availabilityView", () => {
    const [list] = mapScheduleAnswer(
      [{ scheduleId: 'team@contoso.com', availabilityView: '0022', scheduleItems: [] }],
      ['team@contoso.com'],
      {
        ...opts,
        window: { startMs: Date.UTC(2024, 2, 11, 9), endMs: Date.UTC(2024, 2, 11, 11) },
        view: { startMs: Date.UTC(2024, 2, 11, 9), intervalMinutes: 30 },
      },
    );
    expect(list).toMatchObject({
      outcome: 'ok',
      events: [
        { startMs: Date.UTC(2024, 2, 11, 10), endMs: Date.UTC(2024, 2, 11, 11), status: 'Busy' },
      ],
    });
  });
});
