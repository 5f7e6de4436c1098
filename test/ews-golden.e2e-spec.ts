import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ewsResponseShapeProblems } from './support/ews-response-shape';
import { indentXml } from './support/indent-xml';
import { bearerTokenFor, startRelay } from './support/relay-app';
import { FIXTURES_DIR } from './support/soap';

/**
 * Golden answers: each known client's request (test/fixtures/ews) through the whole relay on the
 * demo calendars, compared byte for byte with the reviewed answer in test/fixtures/ews/golden
 * (indented there for reading; the relay sends it compact). Any change to what a client
 * receives shows up as a diff here. Every answer must also have the schema's element order and
 * namespaces (support/ews-response-shape.ts).
 *
 * After a deliberate change, regenerate and review the diff:
 *   UPDATE_GOLDEN=1 bash test/graph-emulator/with-test-ca.sh npx jest test/ews-golden
 */

const GOLDEN_DIR = join(FIXTURES_DIR, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Where each client posts (DavMail lower-cases the path; Google uses the root). */
const PATHS: Readonly<Record<string, string>> = {
  'google-interop.xml': '/',
  'davmail.xml': '/ews/exchange.asmx',
};

/** GetServerTimeZones describes the rules around the current year: pin "now". */
const NOW = new Date('2026-06-15T12:00:00Z');

const fixtures = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.xml'));

describe('golden answers to each known client request (demo calendars)', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    // Only Date is faked: timers and I/O run for real.
    jest.useFakeTimers({
      now: NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    app = await startRelay({
      EVENT_DETAILS: 'true',
      ALL_ROOMS_LIST_ADDRESS: 'all-rooms@contoso.com',
    });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app?.close();
    jest.useRealTimers();
  });

  it('has a fixture for every client the protocol note lists', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'google-interop.xml',
        'managed-api-full-definition.xml',
        'ews-javascript-api.xml',
        'exchangelib-availability.xml',
        'exchangelib-get-server-time-zones.xml',
        'ews-java-api.xml',
        'davmail.xml',
      ]),
    );
  });

  it.each(fixtures)('%s', async (name) => {
    const res = await app.inject({
      method: 'POST',
      url: PATHS[name] ?? '/EWS/Exchange.asmx',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      payload: readFileSync(join(FIXTURES_DIR, name)),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(await ewsResponseShapeProblems(res.body)).toEqual([]);

    const goldenFile = join(GOLDEN_DIR, name.replace(/\.xml$/, '.response.xml'));
    const actual = indentXml(res.body);
    if (UPDATE || !existsSync(goldenFile)) {
      writeFileSync(goldenFile, actual);
      if (!UPDATE) throw new Error(`wrote missing golden file ${goldenFile}: review and commit it`);
    }
    expect(actual).toBe(readFileSync(goldenFile, 'utf8'));
  });
});

describe('the response shape check itself', () => {
  const envelope = (body: string) =>
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">' +
    '<s:Header><t:ServerVersionInfo MajorVersion="15"/></s:Header><s:Body>' +
    body +
    '</s:Body></s:Envelope>';
  const view = (inner: string) =>
    envelope(
      '<m:GetUserAvailabilityResponse><m:FreeBusyResponseArray><m:FreeBusyResponse>' +
        '<m:ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>' +
        `<m:FreeBusyView>${inner}</m:FreeBusyView>` +
        '</m:FreeBusyResponse></m:FreeBusyResponseArray></m:GetUserAvailabilityResponse>',
    );

  it('accepts a conforming answer', async () => {
    expect(
      await ewsResponseShapeProblems(
        view(
          '<t:FreeBusyViewType>MergedOnly</t:FreeBusyViewType><t:MergedFreeBusy>0</t:MergedFreeBusy>',
        ),
      ),
    ).toEqual([]);
  });

  it('catches elements out of order, in the wrong namespace, and empty working periods', async () => {
    expect(
      await ewsResponseShapeProblems(
        view(
          '<t:MergedFreeBusy>0</t:MergedFreeBusy><t:FreeBusyViewType>MergedOnly</t:FreeBusyViewType>',
        ),
      ),
    ).not.toEqual([]);
    expect(
      await ewsResponseShapeProblems(view('<m:FreeBusyViewType>MergedOnly</m:FreeBusyViewType>')),
    ).not.toEqual([]);
    expect(
      await ewsResponseShapeProblems(
        view(
          '<t:FreeBusyViewType>FreeBusy</t:FreeBusyViewType><t:WorkingHours><t:TimeZone><t:Bias>0</t:Bias>' +
            '<t:StandardTime><t:Bias>0</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime>' +
            '<t:DaylightTime><t:Bias>0</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime>' +
            '</t:TimeZone><t:WorkingPeriodArray/></t:WorkingHours>',
        ),
      ),
    ).toEqual([
      expect.stringContaining(
        'missing {http://schemas.microsoft.com/exchange/services/2006/types}WorkingPeriod',
      ),
    ]);
  });
});
