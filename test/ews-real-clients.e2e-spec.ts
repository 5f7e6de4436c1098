import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import type { EmulatedEvent } from './graph-emulator/emulated-calendar';
import { runClient, utcOffset, wallClock } from './support/client-process';
import { baseUrlOf, bearerTokenFor, startRelay } from './support/relay-app';

/**
 * Real EWS clients against the whole relay: ews-javascript-api (npm) and exchangelib (PyPI)
 * send their own requests over HTTP, the relay answers from Microsoft Graph (the local HTTPS
 * emulator, through the real @azure/identity and Graph SDK), and each client's own parser reads
 * the answer. What is asserted is what the client's user would see: local wall-clock times in
 * the client's zone (checked against the IANA database), statuses, subjects, merged slots across
 * daylight-saving changes, and per-mailbox errors.
 *
 * Needs NODE_EXTRA_CA_CERTS from test/graph-emulator/with-test-ca.sh (npm test sets it) and
 * exchangelib for python3 (scripts/install-test-tools.sh, run by `npm test`, installs it).
 */

const CLIENTS = join(__dirname, 'clients');
const PYTHON = process.env.PYTHON ?? 'python3';

const ADELE = 'adele.vance@contoso.com';
const MEGAN = 'megan.bowen@contoso.com';
const NOBODY = 'no.such.person@contoso.com';

/** Adele's week around the US (10 March) and EU (31 March) clock changes, in UTC. */
const ADELE_EVENTS: readonly EmulatedEvent[] = [
  // Saturday 9 March 09:00-10:00 Pacific (PST, UTC-8).
  {
    start: '2024-03-09T17:00:00Z',
    end: '2024-03-09T18:00:00Z',
    status: 'workingElsewhere',
    subject: 'Coffee shop focus time',
  },
  // Sunday 10 March 01:30 PST .. 04:00 PDT: across the skipped hour.
  {
    start: '2024-03-10T09:30:00Z',
    end: '2024-03-10T11:00:00Z',
    status: 'busy',
    subject: 'Night deploy',
    location: 'War room',
    isMeeting: true,
  },
  // Monday 11 March (PDT, UTC-7).
  {
    start: '2024-03-11T16:00:00Z',
    end: '2024-03-11T17:00:00Z',
    status: 'Tentative',
    subject: 'Design review',
    isMeeting: true,
    isRecurring: true,
  },
  { start: '2024-03-11T20:00:00Z', end: '2024-03-11T21:30:00Z', status: 'oof', subject: 'Dentist' },
  {
    start: '2024-03-11T22:00:00Z',
    end: '2024-03-11T23:00:00Z',
    status: 'busy',
    subject: 'Salary talk with HR',
    location: 'Room 4',
    isPrivate: true,
  },
  // Saturday 30 March 10:00-11:00 CET; Sunday 31 March 02:30 CEST is after the EU change (01:00Z).
  { start: '2024-03-30T09:00:00Z', end: '2024-03-30T10:00:00Z', status: 'busy', subject: 'Brunch' },
  {
    start: '2024-03-31T00:30:00Z',
    end: '2024-03-31T01:30:00Z',
    status: 'busy',
    subject: 'Straddles the EU change',
  },
];

/** Megan in Sydney around the end of Australian daylight saving (7 April 03:00 AEDT -> 02:00 AEST). */
const MEGAN_EVENTS: readonly EmulatedEvent[] = [
  // 01:00 AEDT (+11) .. 03:00 AEST (+10): across the change, both ends unambiguous.
  {
    start: '2024-04-06T14:00:00Z',
    end: '2024-04-06T17:00:00Z',
    status: 'busy',
    subject: 'Across the change',
  },
  // 02:30 AEDT (+11) .. 02:30 AEST (+10): the repeated hour, both ends at the same wall clock.
  {
    start: '2024-04-06T15:30:00Z',
    end: '2024-04-06T16:30:00Z',
    status: 'busy',
    subject: 'Repeated hour',
  },
  {
    start: '2024-04-08T00:00:00Z',
    end: '2024-04-08T01:00:00Z',
    status: 'tentative',
    subject: 'Maybe lunch',
  },
  { start: '2024-04-08T03:00:00Z', end: '2024-04-08T05:00:00Z', status: 'OOF', subject: 'Dentist' },
  {
    start: '2024-04-08T06:00:00Z',
    end: '2024-04-08T07:00:00Z',
    status: 'busy',
    subject: 'Board prep',
    isPrivate: true,
  },
];

const DIGIT: Readonly<Record<string, number>> = {
  free: 0,
  workingelsewhere: 0,
  tentative: 1,
  busy: 2,
  oof: 3,
};

/**
 * The merged string the client should see, from the test's own reading of docs/protocol.md 5: one
 * digit per absolute hour from the window's start, the highest status overlapping it.
 */
function expectedMerged(
  events: readonly EmulatedEvent[],
  startIso: string,
  endIso: string,
): number[] {
  const start = Date.parse(startIso);
  const slots = Math.ceil((Date.parse(endIso) - start) / 3_600_000);
  return Array.from({ length: slots }, (_, i) => {
    const from = start + i * 3_600_000;
    const to = from + 3_600_000;
    let digit = 0;
    for (const e of events) {
      if (Date.parse(e.start) < to && Date.parse(e.end) > from) {
        digit = Math.max(digit, DIGIT[e.status.toLowerCase()]);
      }
    }
    return digit;
  });
}

function overlapping(
  events: readonly EmulatedEvent[],
  startIso: string,
  endIso: string,
): EmulatedEvent[] {
  return events.filter(
    (e) => Date.parse(e.start) < Date.parse(endIso) && Date.parse(e.end) > Date.parse(startIso),
  );
}

// ---- ews-javascript-api ---------------------------------------------------------------------

interface JsClientMailbox {
  readonly error?: string;
  readonly message?: string;
  readonly viewType?: string;
  readonly merged?: string;
  readonly events?: readonly {
    start: string;
    end: string;
    freeBusyStatus: string;
    subject: string | null | undefined;
    isPrivate: boolean | null;
  }[];
}

const JS_STATUS: Readonly<Record<string, string>> = {
  0: 'Free',
  1: 'Tentative',
  2: 'Busy',
  3: 'OOF',
};
const JS_EVENT_STATUS: Readonly<Record<string, string>> = {
  free: 'Free',
  tentative: 'Tentative',
  busy: 'Busy',
  oof: 'OOF',
  workingelsewhere: 'WorkingElsewhere',
};

// ---- exchangelib ----------------------------------------------------------------------------

interface PyClientMailbox {
  readonly error?: string;
  readonly message?: string;
  readonly view_type?: string;
  readonly merged?: string;
  readonly events?: readonly {
    start: string;
    end: string;
    busy_type: string;
    subject: string | null;
    is_private: boolean | null;
  }[];
}

describe('real EWS clients against the relay and the Graph emulator', () => {
  let emulator: GraphEmulator;
  let app: NestFastifyApplication;
  let ewsUrl: string;
  let token: string;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    emulator.calendar.set(ADELE, { events: ADELE_EVENTS }).set(MEGAN, { events: MEGAN_EVENTS });
    app = await startRelay(
      { ...emulator.relayEnv(), EVENT_DETAILS: 'true', CACHE_TTL_SECONDS: '0' },
      { listen: true },
    );
    ewsUrl = `${baseUrlOf(app)}/EWS/Exchange.asmx`;
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  const jsClient = (zone: string, start: string, end: string, view: string, addresses: string[]) =>
    runClient(
      process.execPath,
      [
        join(CLIENTS, 'ews-javascript-api-free-busy.js'),
        ewsUrl,
        token,
        start,
        end,
        view,
        ...addresses,
      ],
      { TZ: zone },
    ) as Promise<JsClientMailbox[]>;

  const pyClient = (zone: string, start: string, end: string, view: string, addresses: string[]) =>
    runClient(
      PYTHON,
      [
        join(CLIENTS, 'exchangelib_free_busy.py'),
        ewsUrl,
        token,
        zone,
        start,
        end,
        view,
        ...addresses,
        // requests-oauthlib refuses bearer tokens over plain HTTP; the test relay listens on
        // loopback without TLS (production sits behind HTTPS), so allow it for this client only.
      ],
      { OAUTHLIB_INSECURE_TRANSPORT: '1' },
    ) as Promise<PyClientMailbox[]>;

  describe('ews-javascript-api in Los Angeles, DetailedMerged across the US spring-forward', () => {
    const zone = 'America/Los_Angeles';
    // Local midnight 9 March (PST) to local midnight 12 March (PDT): 71 hours.
    const startUtc = '2024-03-09T08:00:00Z';
    const endUtc = '2024-03-12T07:00:00Z';
    let answer: JsClientMailbox[];

    beforeAll(async () => {
      answer = await jsClient(
        zone,
        '2024-03-09T00:00:00',
        '2024-03-12T00:00:00',
        'DetailedMerged',
        [ADELE, NOBODY, ADELE],
      );
    });

    it('answers every requested mailbox in order, duplicates included, with the unknown one as not found', () => {
      expect(answer).toHaveLength(3);
      expect(answer[1]).toEqual({
        error: 'ErrorMailRecipientNotFound',
        message: `Unable to resolve e-mail address ${NOBODY} to an Active Directory object.`,
      });
      expect(answer[0].viewType).toBe('DetailedMerged');
      expect(answer[2]).toEqual(answer[0]);
    });

    it('shows each event at its Los Angeles wall-clock time, with the status Graph reported', () => {
      const expected = overlapping(ADELE_EVENTS, startUtc, endUtc).map((e) => ({
        start: wallClock(e.start, zone),
        end: wallClock(e.end, zone),
        freeBusyStatus: JS_EVENT_STATUS[e.status.toLowerCase()],
      }));
      expect(
        answer[0].events!.map(({ start, end, freeBusyStatus }) => ({ start, end, freeBusyStatus })),
      ).toEqual(expected);
      // The deploy starts before the skipped hour and ends after it.
      expect(answer[0].events![1]).toMatchObject({
        start: '2024-03-10T01:30:00',
        end: '2024-03-10T04:00:00',
      });
    });

    it('shows subjects of ordinary events and never the subject of a private one', () => {
      const events = answer[0].events!;
      expect(events.map((e) => e.subject ?? null)).toEqual([
        'Coffee shop focus time',
        'Night deploy',
        'Design review',
        'Dentist',
        null,
      ]);
      expect(events[4].isPrivate).toBe(true);
      expect(JSON.stringify(answer)).not.toContain('Salary talk');
    });

    it('gives 71 hourly merged slots for the 23-hour Sunday, matching the events', () => {
      const merged = answer[0].merged!.split(',');
      expect(merged).toHaveLength(71);
      expect(merged).toEqual(
        expectedMerged(ADELE_EVENTS, startUtc, endUtc).map((d) => JS_STATUS[d]),
      );
    });
  });

  describe('ews-javascript-api in Berlin, FreeBusy across the EU spring-forward', () => {
    const zone = 'Europe/Berlin';
    const startUtc = '2024-03-29T23:00:00Z'; // 30 March 00:00 CET
    const endUtc = '2024-03-31T22:00:00Z'; // 1 April 00:00 CEST
    let answer: JsClientMailbox[];

    beforeAll(async () => {
      answer = await jsClient(zone, '2024-03-30T00:00:00', '2024-04-01T00:00:00', 'FreeBusy', [
        ADELE,
      ]);
    });

    it('shows Berlin wall-clock times and statuses, and no details in a FreeBusy view', () => {
      expect(answer).toHaveLength(1);
      expect(answer[0].viewType).toBe('FreeBusy');
      expect(answer[0].events).toEqual(
        overlapping(ADELE_EVENTS, startUtc, endUtc).map((e) => ({
          start: wallClock(e.start, zone),
          end: wallClock(e.end, zone),
          freeBusyStatus: JS_EVENT_STATUS[e.status.toLowerCase()],
          subject: null,
          isPrivate: null,
        })),
      );
      // 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST.
      expect(answer[0].events![1]).toMatchObject({
        start: '2024-03-31T01:30:00',
        end: '2024-03-31T03:30:00',
      });
      expect(answer[0].merged).toBe('');
    });
  });

  describe('exchangelib in Sydney, DetailedMerged across the end of Australian daylight saving', () => {
    const zone = 'Australia/Sydney';
    // Local midnight 6 April (AEDT, +11) to local midnight 9 April (AEST, +10): 73 hours.
    const startUtc = '2024-04-05T13:00:00Z';
    const endUtc = '2024-04-08T14:00:00Z';
    let answer: PyClientMailbox[];

    beforeAll(async () => {
      answer = await pyClient(zone, '2024-04-06T00:00', '2024-04-09T00:00', 'DetailedMerged', [
        MEGAN,
        NOBODY,
      ]);
    });

    it('reads Sydney times with the right offset on each side of the change', () => {
      expect(answer).toHaveLength(2);
      expect(answer[0].view_type).toBe('DetailedMerged');
      const seen = answer[0].events!.map(({ start, end, busy_type }) => ({
        start,
        end,
        busy_type,
      }));
      const expected = overlapping(MEGAN_EVENTS, startUtc, endUtc).map((e) => ({
        start: `${wallClock(e.start, zone)}${utcOffset(e.start, zone)}`,
        end: `${wallClock(e.end, zone)}${utcOffset(e.end, zone)}`,
        busy_type: JS_EVENT_STATUS[e.status.toLowerCase()],
      }));
      expect(seen).toHaveLength(expected.length);
      // 01:00 daylight time to 03:00 standard time: three hours, read as such.
      expect(seen[0]).toEqual({
        start: '2024-04-07T01:00:00+11:00',
        end: '2024-04-07T03:00:00+10:00',
        busy_type: 'Busy',
      });
      expect(seen[0]).toEqual(expected[0]);
      expect(seen.slice(2)).toEqual(expected.slice(2));
    });

    it('sends the repeated hour as the wall-clock times EWS allows, which exchangelib reads as the first 02:30', () => {
      // CalendarEvent times carry no offset (docs/protocol.md 5), so 02:30 daylight and 02:30
      // standard time are the same text on the wire; exchangelib resolves an ambiguous local time
      // to its first occurrence, as Outlook does against Exchange. The wall clock is right.
      expect(answer[0].events![1]).toMatchObject({
        start: '2024-04-07T02:30:00+11:00',
        end: '2024-04-07T02:30:00+11:00',
        subject: 'Repeated hour',
      });
    });

    it('shows subjects except the private one', () => {
      expect(answer[0].events!.map((e) => e.subject)).toEqual([
        'Across the change',
        'Repeated hour',
        'Maybe lunch',
        'Dentist',
        null,
      ]);
      expect(answer[0].events![4].is_private).toBe(true);
      expect(JSON.stringify(answer)).not.toContain('Board prep');
    });

    it('gives 73 hourly merged slots for the 25-hour Sunday, matching the events', () => {
      expect(answer[0].merged).toBe(expectedMerged(MEGAN_EVENTS, startUtc, endUtc).join(''));
      expect(answer[0].merged).toHaveLength(73);
    });

    it("reports the unknown mailbox as exchangelib's ErrorMailRecipientNotFound", () => {
      expect(answer[1].error).toBe('ErrorMailRecipientNotFound');
      expect(answer[1].message).toContain(NOBODY);
    });
  });

  it('asked Graph once per client lookup, for each distinct mailbox, with the window in UTC', () => {
    expect(
      emulator.scheduleCalls.map((c) => {
        const body = c.body as { startTime: { dateTime: string; timeZone: string } };
        return [body.startTime.timeZone, body.startTime.dateTime.slice(0, 19), c.schedules];
      }),
    ).toEqual([
      ['UTC', '2024-03-09T08:00:00', [ADELE, NOBODY]],
      ['UTC', '2024-03-29T23:00:00', [ADELE]],
      ['UTC', '2024-04-05T13:00:00', [MEGAN, NOBODY]],
    ]);
    expect(emulator.unknownRequests).toEqual([]);
  });
});
