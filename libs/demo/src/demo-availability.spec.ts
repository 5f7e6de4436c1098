import type { CalendarEvent, MailboxAvailability } from '@app/availability';
import { DEMO_TENANTS, demoAvailability } from './demo-availability';
import { DEMO_MAILBOXES } from './demo-calendars';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const week = (isoMonday: string) => {
  const startMs = Date.parse(isoMonday);
  return { startMs, endMs: startMs + 7 * DAY };
};
const ask = (mailboxes: string[], window = week('2024-03-11T00:00:00Z'), extra = {}) =>
  demoAvailability({ mailboxes, window, wantDetails: true, ...extra });
const eventsOf = (result: MailboxAvailability): readonly CalendarEvent[] => {
  if (result.outcome !== 'ok') throw new Error(`${result.address} failed: ${result.reason}`);
  return result.events;
};
const iso = (ms: number) => new Date(ms).toISOString();
const everyone = DEMO_MAILBOXES.map((m) => m.address);

describe('demoAvailability', () => {
  it('has nine contoso.com mailboxes, four rooms among them', () => {
    expect(everyone.filter((a) => a.endsWith('@contoso.com'))).toEqual([
      'adele.vance@contoso.com',
      'megan.bowen@contoso.com',
      'alex.wilber@contoso.com',
      'diego.siciliani@contoso.com',
      'patti.fernandez@contoso.com',
      'room.boardroom@contoso.com',
      'room.huddle@contoso.com',
      'room.training@contoso.com',
      'room.lab@contoso.com',
    ]);
  });

  it('has three fabrikam.com mailboxes, a tenant of their own, in Berlin', () => {
    const fabrikam = DEMO_MAILBOXES.filter((m) => m.address.endsWith('@fabrikam.com'));
    expect(fabrikam.map((m) => [m.address, m.zone])).toEqual([
      ['lars.becker@fabrikam.com', 'Europe/Berlin'],
      ['jana.richter@fabrikam.com', 'Europe/Berlin'],
      ['tobias.wagner@fabrikam.com', 'Europe/Berlin'],
    ]);
    expect(DEMO_TENANTS).toEqual([
      { name: 'contoso', domain: 'contoso.com' },
      { name: 'fabrikam', domain: 'fabrikam.com' },
    ]);
  });

  it("places Lars's week in Berlin time, summer time included", () => {
    const standups = (monday: string) =>
      eventsOf(ask(['lars.becker@fabrikam.com'], week(monday))[0])
        .filter((e) => e.details?.subject === 'Sales standup')
        .map((e) => iso(e.startMs));
    // 09:00 in Berlin: CET (UTC+1) in March before the change, CEST (UTC+2) in July.
    expect(standups('2024-03-11T00:00:00Z')).toEqual([
      '2024-03-11T08:00:00.000Z',
      '2024-03-12T08:00:00.000Z',
      '2024-03-13T08:00:00.000Z',
      '2024-03-14T08:00:00.000Z',
      '2024-03-15T08:00:00.000Z',
    ]);
    expect(standups('2024-07-01T00:00:00Z')[0]).toBe('2024-07-01T07:00:00.000Z');
    // Friday's trade fair: a whole Berlin day.
    const fair = eventsOf(ask(['lars.becker@fabrikam.com'])[0]).find((e) => e.status === 'OOF')!;
    expect([iso(fair.startMs), iso(fair.endMs)]).toEqual([
      '2024-03-14T23:00:00.000Z',
      '2024-03-15T23:00:00.000Z',
    ]);
  });

  it("answers in query order, once per occurrence, keeping the caller's spelling", () => {
    const result = ask([
      'Megan.Bowen@Contoso.com',
      'nobody@contoso.com',
      'adele.vance@contoso.com',
      'Megan.Bowen@Contoso.com',
    ]);
    expect(result.map((r) => [r.address, r.outcome])).toEqual([
      ['Megan.Bowen@Contoso.com', 'ok'],
      ['nobody@contoso.com', 'failed'],
      ['adele.vance@contoso.com', 'ok'],
      ['Megan.Bowen@Contoso.com', 'ok'],
    ]);
    expect(result[3]).toEqual(result[0]);
  });

  it('answers an unknown address not found', () => {
    expect(ask(['no.such.person@contoso.com'])).toEqual([
      { address: 'no.such.person@contoso.com', outcome: 'failed', reason: 'recipientNotFound' },
    ]);
  });

  it('gives the same answer to the same query', () => {
    expect(ask(everyone)).toEqual(ask(everyone));
  });

  it("places Adele's week in Pacific time, DST included", () => {
    const events = eventsOf(ask(['adele.vance@contoso.com'])[0]);
    const standups = events.filter((e) => e.details?.subject?.startsWith('Daily standup'));
    // Mon, Tue, Thu, Fri 09:00 PDT = 16:00Z; Wednesday's occurrence moved to 09:30.
    expect(standups.map((e) => iso(e.startMs))).toEqual([
      '2024-03-11T16:00:00.000Z',
      '2024-03-12T16:00:00.000Z',
      '2024-03-13T16:30:00.000Z',
      '2024-03-14T16:00:00.000Z',
      '2024-03-15T16:00:00.000Z',
    ]);
    expect(
      standups.every((e) => e.details?.isRecurring && e.endMs - e.startMs === 15 * 60_000),
    ).toBe(true);
    expect(standups.filter((e) => e.details?.isException).map((e) => iso(e.startMs))).toEqual([
      '2024-03-13T16:30:00.000Z',
    ]);
    // In January the same 09:00 is PST (17:00Z).
    const january = eventsOf(ask(['adele.vance@contoso.com'], week('2024-01-08T00:00:00Z'))[0]);
    expect(iso(january.find((e) => e.details?.subject === 'Daily standup')!.startMs)).toBe(
      '2024-01-08T17:00:00.000Z',
    );
  });

  it('covers every status the EWS layer renders, private and all-day events, and a recurring series', () => {
    const events = ask(everyone).flatMap((r) => eventsOf(r));
    expect(new Set(events.map((e) => e.status))).toEqual(
      new Set(['Busy', 'Tentative', 'OOF', 'WorkingElsewhere']),
    );
    expect(events.some((e) => e.details?.isPrivate)).toBe(true);
    expect(events.some((e) => e.details?.isRecurring)).toBe(true);
    // Megan's Friday off: midnight to midnight in Berlin.
    const megan = eventsOf(ask(['megan.bowen@contoso.com'])[0]);
    const ooo = megan.find((e) => e.status === 'OOF')!;
    expect([iso(ooo.startMs), iso(ooo.endMs)]).toEqual([
      '2024-03-14T23:00:00.000Z',
      '2024-03-15T23:00:00.000Z',
    ]);
  });

  it("keeps private events' subjects in the model for the EWS layer to withhold", () => {
    const events = eventsOf(ask(['adele.vance@contoso.com'])[0]);
    const doctor = events.find(
      (e) => e.details?.isPrivate && e.details.subject === 'Doctor appointment',
    );
    expect(doctor).toBeDefined();
  });

  it('returns events overlapping the window whole, not clipped, sorted by start', () => {
    // Patti's long weekend runs Friday 00:00 to Monday 00:00 New York time.
    const saturdayNoon = Date.parse('2024-03-16T12:00:00Z');
    const [patti] = ask(['patti.fernandez@contoso.com'], {
      startMs: saturdayNoon,
      endMs: saturdayNoon + HOUR,
    });
    expect(eventsOf(patti).map((e) => [iso(e.startMs), iso(e.endMs), e.status])).toEqual([
      ['2024-03-15T04:00:00.000Z', '2024-03-18T04:00:00.000Z', 'OOF'],
    ]);
    for (const result of ask(everyone)) {
      const starts = eventsOf(result).map((e) => e.startMs);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  it('leaves out events that only touch the window', () => {
    // Adele's Monday standup is 16:00-16:15Z.
    const [adele] = ask(['adele.vance@contoso.com'], {
      startMs: Date.parse('2024-03-11T16:15:00Z'),
      endMs: Date.parse('2024-03-11T17:00:00Z'),
    });
    expect(eventsOf(adele)).toEqual([]);
  });

  it('has events in any week of any year, the same weekly pattern', () => {
    const count = (monday: string) =>
      ask(everyone, week(monday)).flatMap((r) => eventsOf(r)).length;
    const reference = count('2024-03-11T00:00:00Z');
    expect(reference).toBeGreaterThan(30);
    for (const monday of ['2019-07-01T00:00:00Z', '2026-11-23T00:00:00Z', '2031-02-03T00:00:00Z']) {
      expect(count(monday)).toBe(reference);
    }
  });

  it('answers a long window day by day (a 42-day window has six weeks of standups)', () => {
    const startMs = Date.parse('2024-03-04T00:00:00Z');
    const [megan] = ask(['megan.bowen@contoso.com'], { startMs, endMs: startMs + 42 * DAY });
    expect(eventsOf(megan).filter((e) => e.details?.subject === 'Marketing standup')).toHaveLength(
      30,
    );
  });

  it('omits details unless asked', () => {
    const [adele] = demoAvailability({
      mailboxes: ['adele.vance@contoso.com'],
      window: week('2024-03-11T00:00:00Z'),
      wantDetails: false,
    });
    expect(eventsOf(adele).length).toBeGreaterThan(0);
    expect(eventsOf(adele).every((e) => e.details === undefined)).toBe(true);
  });

  it('gives working hours in a Windows zone, an IANA zone and a custom zone; none for the room', () => {
    const zoneOf = (address: string) => {
      const [result] = ask([address]);
      return result.outcome === 'ok' ? result.workingHours?.zone : undefined;
    };
    expect(zoneOf('adele.vance@contoso.com')).toEqual({
      kind: 'named',
      name: 'Pacific Standard Time',
    });
    expect(zoneOf('megan.bowen@contoso.com')).toEqual({ kind: 'named', name: 'Europe/Berlin' });
    expect(zoneOf('alex.wilber@contoso.com')).toMatchObject({ kind: 'custom', bias: -600 });
    expect(zoneOf('room.boardroom@contoso.com')).toBeUndefined();
  });

  it('answers an empty or reversed window with no events', () => {
    const at = Date.parse('2024-03-11T16:00:00Z');
    expect(eventsOf(ask(['adele.vance@contoso.com'], { startMs: at, endMs: at })[0])).toEqual([]);
  });
});
