import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EmulatedTenant } from './graph-emulator/emulated-tenant';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { availabilityRequest, GET_ROOM_LISTS, roomsRequest } from './support/ews-request-bodies';
import { CollectedLogs } from './support/collected-logs';
import { ewsResponseShapeProblems } from './support/ews-response-shape';
import { bearerTokenFor, startRelay, type TokenRequestOptions } from './support/relay-app';
import { faultOf, mailboxesOf, roomDirectoryOf } from './support/soap';

/**
 * GetRoomLists and GetRooms through the whole relay (a real token, app.inject) from the Graph
 * emulator's places: lists, rooms of a list, paging with and without @odata.nextLink, an unknown
 * list, no lists, the all-rooms list, a missing Place.Read.All, and the rooms' free/busy, which
 * is ordinary GetUserAvailability on room addresses.
 */

const SOAP = { 'content-type': 'text/xml; charset=utf-8' };

describe('room lists and rooms from Microsoft Graph places', () => {
  let emulator: GraphEmulator;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.calendar.clear();
    emulator.places.clear();
    emulator.primary.roles = ['Calendars.ReadBasic.All', 'Place.Read.All'];
    emulator.primary.placesLatencyMs = 0;
    emulator.scheduleLatencyMs = 0;
    emulator.resetRecords();
  });

  async function relay(env: Record<string, string> = {}, logs?: CollectedLogs) {
    const app = await startRelay(
      { ...emulator.relayEnv(), GRAPH_DEADLINE_MS: '4000', ...env },
      logs !== undefined ? { logger: logs } : {},
    );
    const token = await bearerTokenFor(app);
    const ask = (body: string) =>
      app.inject({
        method: 'POST',
        url: '/EWS/Exchange.asmx',
        headers: { ...SOAP, authorization: `Bearer ${token}` },
        payload: body,
      });
    return { app, ask };
  }

  describe('with the default settings (lists cached an hour)', () => {
    let app: NestFastifyApplication;
    let ask: (body: string) => ReturnType<NestFastifyApplication['inject']>;

    beforeAll(async () => {
      ({ app, ask } = await relay({ ALLOWED_DOMAINS: 'contoso.com' }));
    });
    afterAll(async () => {
      await app.close();
    });

    it("gives the tenant's room lists as Exchange does, those of other domains left out", async () => {
      emulator.places
        .addList('Building 1', 'bldg1@contoso.com', ['cf101@contoso.com'])
        .addList('Building 2', 'bldg2@contoso.com', ['cf201@contoso.com'])
        .addList('Partner floor', 'partner@fabrikam.com', ['p1@fabrikam.com']);
      const res = await ask(GET_ROOM_LISTS);
      expect(res.statusCode).toBe(200);
      expect(await roomDirectoryOf(res.body)).toEqual({
        responseClass: 'Success',
        responseCode: 'NoError',
        entries: [
          { name: 'Building 1', address: 'bldg1@contoso.com', mailboxType: 'PublicDL' },
          { name: 'Building 2', address: 'bldg2@contoso.com', mailboxType: 'PublicDL' },
        ],
      });
      // From the cache the second time: Places lags Exchange by hours anyway.
      expect((await ask(GET_ROOM_LISTS)).statusCode).toBe(200);
      expect(emulator.placesCalls).toEqual(['/v1.0/places/microsoft.graph.roomlist?$top=100']);
    });

    it('gives the rooms of a list, named by its address; a room hidden from the GAL is not listed', async () => {
      emulator.places.addList('Building 3', 'bldg3@contoso.com', [
        { address: 'cf301@contoso.com', name: 'Conf Room 3/101 (16) AV', capacity: 16 },
        { address: 'cf302@contoso.com', name: 'Conf Room 3/102 (8)', capacity: 8 },
        { address: 'secret@contoso.com', name: 'Exec suite', hiddenFromAddressList: true },
      ]);
      const res = await ask(roomsRequest('Bldg3@Contoso.com'));
      expect(await roomDirectoryOf(res.body)).toEqual({
        responseClass: 'Success',
        responseCode: 'NoError',
        entries: [
          { name: 'Conf Room 3/101 (16) AV', address: 'cf301@contoso.com', mailboxType: 'Mailbox' },
          { name: 'Conf Room 3/102 (8)', address: 'cf302@contoso.com', mailboxType: 'Mailbox' },
        ],
      });
      expect(emulator.placesCalls).toEqual([
        '/v1.0/places/bldg3@contoso.com/microsoft.graph.roomlist/rooms?$top=100',
      ]);
    });

    it('reads 120 rooms of one list over two pages, following @odata.nextLink', async () => {
      const rooms = Array.from({ length: 120 }, (_, i) => ({
        address: `room${String(i).padStart(3, '0')}@contoso.com`,
        capacity: i,
      }));
      emulator.places.addList('Campus', 'campus@contoso.com', rooms);
      emulator.places.capacityAs = 'string';
      emulator.places.wheelchairSpelling = 'isWheelchairAccessible';
      const res = await ask(roomsRequest('campus@contoso.com'));
      const found = await roomDirectoryOf(res.body);
      expect(found.entries.map((e) => e.address)).toEqual(rooms.map((r) => r.address));
      expect(emulator.placesCalls).toEqual([
        '/v1.0/places/campus@contoso.com/microsoft.graph.roomlist/rooms?$top=100',
        expect.stringMatching(
          /^\/v1\.0\/places\/campus@contoso\.com\/microsoft\.graph\.roomlist\/rooms\?\$top=100&\$skiptoken=/,
        ),
      ]);
    });

    it('reads 120 rooms of one list when Graph leaves nextLink out, going on with $skip', async () => {
      const rooms = Array.from(
        { length: 120 },
        (_, i) => `spare${String(i).padStart(3, '0')}@contoso.com`,
      );
      emulator.places.addList('Annex', 'annex@contoso.com', rooms);
      emulator.places.omitNextLink = true;
      const found = await roomDirectoryOf((await ask(roomsRequest('annex@contoso.com'))).body);
      expect(found.entries.map((e) => e.address)).toEqual(rooms);
      expect(emulator.placesCalls).toEqual([
        '/v1.0/places/annex@contoso.com/microsoft.graph.roomlist/rooms?$top=100',
        '/v1.0/places/annex@contoso.com/microsoft.graph.roomlist/rooms?$top=100&$skip=100',
      ]);
    });

    it("answers an unknown list with Exchange's ErrorNameResolutionNoResults, HTTP 200", async () => {
      const res = await ask(roomsRequest('nosuchlist@contoso.com'));
      expect(res.statusCode).toBe(200);
      expect(await ewsResponseShapeProblems(res.body)).toEqual([]);
      expect(await roomDirectoryOf(res.body)).toEqual({
        responseClass: 'Error',
        responseCode: 'ErrorNameResolutionNoResults',
        messageText: 'No results were found.',
        entries: [],
      });
      // A list of a domain the relay does not serve: the same answer, and Graph is not asked.
      emulator.resetRecords();
      const outside = await roomDirectoryOf((await ask(roomsRequest('hq@fabrikam.com'))).body);
      expect(outside.responseCode).toBe('ErrorNameResolutionNoResults');
      expect(emulator.placesCalls).toEqual([]);
    });

    it('answers a GetRooms without a list as a schema error', async () => {
      const res = await ask(roomsRequest('').replace('<t:EmailAddress></t:EmailAddress>', ''));
      expect(res.statusCode).toBe(500);
      expect((await faultOf(res.body)).responseCode).toBe('ErrorSchemaValidation');
    });

    it("answers rooms' free/busy like any mailbox's: 30 rooms in ceil(30/20) calls, again from the cache", async () => {
      const rooms = Array.from(
        { length: 30 },
        (_, i) => `sugg${String(i).padStart(2, '0')}@contoso.com`,
      );
      for (const room of rooms) {
        emulator.calendar.set(room, {
          events: [{ start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' }],
        });
      }
      const first = await ask(availabilityRequest(rooms));
      expect((await mailboxesOf(first.body)).map((m) => m.responseCode)).toEqual(
        rooms.map(() => 'NoError'),
      );
      expect(emulator.scheduleCalls.map((c) => c.schedules.length)).toEqual([15, 15]);
      const again = await ask(availabilityRequest(rooms));
      expect((await mailboxesOf(again.body)).map((m) => m.events.length)).toEqual(
        rooms.map(() => 1),
      );
      expect(emulator.counters.getSchedule).toBe(2);
    });
  });

  it('answers a tenant without room lists with an empty, successful RoomLists', async () => {
    const { app, ask } = await relay();
    try {
      const res = await ask(GET_ROOM_LISTS);
      expect(await ewsResponseShapeProblems(res.body)).toEqual([]);
      const found = await roomDirectoryOf(res.body);
      expect(found).toEqual({ responseClass: 'Success', responseCode: 'NoError', entries: [] });
    } finally {
      await app.close();
    }
  });

  it('adds the all-rooms list, holding every room, those in no list too', async () => {
    emulator.places
      .addList('Building 1', 'bldg1@contoso.com', ['cf101@contoso.com'])
      .addRooms({ address: 'lab@contoso.com', name: 'Hardware lab' });
    const { app, ask } = await relay({
      ALL_ROOMS_LIST_ADDRESS: 'all-rooms@contoso.com',
      ALL_ROOMS_LIST_NAME: 'Every room',
    });
    try {
      const lists = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
      expect(lists.entries.map((e) => [e.name, e.address])).toEqual([
        ['Building 1', 'bldg1@contoso.com'],
        ['Every room', 'all-rooms@contoso.com'],
      ]);
      const rooms = await roomDirectoryOf((await ask(roomsRequest('all-rooms@contoso.com'))).body);
      expect(rooms.entries.map((e) => e.address)).toEqual(['cf101@contoso.com', 'lab@contoso.com']);
      expect(emulator.placesCalls).toContain('/v1.0/places/microsoft.graph.room?$top=100');
    } finally {
      await app.close();
    }
  });

  it('serves free/busy without Place.Read.All, answers as a tenant without room lists, and says so once', async () => {
    emulator.primary.roles = ['Calendars.ReadBasic.All'];
    emulator.places.addList('Building 1', 'bldg1@contoso.com', ['cf101@contoso.com']);
    emulator.calendar.set('cf101@contoso.com', {
      events: [{ start: '2024-03-11T17:00:00Z', end: '2024-03-11T18:00:00Z', status: 'busy' }],
    });
    const logs = new CollectedLogs();
    // No cache: every request asks Graph, and still the log says it once.
    const { app, ask } = await relay({ ROOMS_CACHE_TTL_SECONDS: '0' }, logs);
    try {
      for (let i = 0; i < 3; i++) {
        const lists = await ask(GET_ROOM_LISTS);
        expect(lists.statusCode).toBe(200);
        expect((await roomDirectoryOf(lists.body)).entries).toEqual([]);
      }
      const rooms = await roomDirectoryOf((await ask(roomsRequest('bldg1@contoso.com'))).body);
      expect(rooms.responseCode).toBe('ErrorNameResolutionNoResults');
      const [room] = await mailboxesOf(
        (await ask(availabilityRequest(['cf101@contoso.com']))).body,
      );
      expect(room.responseCode).toBe('NoError');
      expect(room.events).toHaveLength(1);
      expect(emulator.counters.places).toBe(4);
      const said = logs.find('GraphRoomDirectory', 'Place.Read.All');
      expect(said).toHaveLength(1);
      expect(said[0].level).toBe('warn');
      expect(said[0].line).toContain('place.read.all permission is required');
    } finally {
      await app.close();
    }
  });

  it("shares the app's 4 concurrent Graph requests between places and getSchedule calls", async () => {
    emulator.scheduleLatencyMs = 150;
    emulator.primary.placesLatencyMs = 150;
    emulator.places.addList('Building 1', 'bldg1@contoso.com', ['cf101@contoso.com']);
    const people = Array.from(
      { length: 100 },
      (_, i) => `user${String(i).padStart(3, '0')}@contoso.com`,
    );
    for (const person of people) emulator.calendar.set(person, { events: [] });

    const { app, ask } = await relay({ ROOMS_CACHE_TTL_SECONDS: '0', CACHE_TTL_SECONDS: '0' });
    try {
      const answers = await Promise.all([
        ask(availabilityRequest(people)),
        ask(GET_ROOM_LISTS),
        ask(roomsRequest('bldg1@contoso.com')),
        ask(GET_ROOM_LISTS),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
      expect(emulator.counters.getSchedule).toBe(5);
      // The two identical GetRoomLists share one read.
      expect(emulator.counters.places).toBe(2);
      expect(emulator.primary.appPeakInFlight).toBe(4);
      expect(emulator.counters.applicationThrottled).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('answers a throttled room directory with ErrorServerBusy, and the copy it has while Graph fails', async () => {
    emulator.places.addList('Building 1', 'bldg1@contoso.com', ['cf101@contoso.com']);
    const { app, ask } = await relay({ ROOMS_CACHE_TTL_SECONDS: '1', GRAPH_DEADLINE_MS: '1500' });
    try {
      emulator.faults.add('places', { kind: 'status', status: 429, retryAfter: '5' });
      const busy = await ask(GET_ROOM_LISTS);
      expect(busy.statusCode).toBe(500);
      expect((await faultOf(busy.body)).responseCode).toBe('ErrorServerBusy');
      expect(busy.body).toContain('<t:Value Name="BackOffMilliseconds">5000</t:Value>');
      const ok = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
      expect(ok.entries).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      emulator.faults.add('places', { kind: 'status', status: 503 }, { times: Infinity });
      const stale = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
      expect(stale.entries.map((e) => e.address)).toEqual(['bldg1@contoso.com']);
    } finally {
      emulator.faults.clear();
      await app.close();
    }
  });
});

describe('room lists and rooms of the demo', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({ ALL_ROOMS_LIST_ADDRESS: 'all-rooms@contoso.com' });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const ask = (body: string) =>
    app.inject({
      method: 'POST',
      url: '/',
      headers: { ...SOAP, authorization: `Bearer ${token}` },
      payload: body,
    });

  it('has two room lists and the all-rooms list; each room answers free/busy', async () => {
    const lists = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
    expect(lists.entries.map((e) => e.name)).toEqual([
      'Building 1 rooms',
      'Building 2 rooms',
      'All rooms',
    ]);
    const all = await roomDirectoryOf((await ask(roomsRequest('all-rooms@contoso.com'))).body);
    expect(all.entries.map((e) => e.name)).toEqual([
      'Boardroom',
      'Huddle room',
      'Training room',
      'Hardware lab',
    ]);
    const week = availabilityRequest(
      all.entries.map((e) => e.address),
      '2024-03-11T00:00:00',
      '2024-03-18T00:00:00',
    );
    const mailboxes = await mailboxesOf((await ask(week)).body);
    expect(mailboxes.map((m) => m.responseCode)).toEqual([
      'NoError',
      'NoError',
      'NoError',
      'NoError',
    ]);
    expect(mailboxes.every((m) => m.events.length > 0)).toBe(true);
  });
});

describe('room lists and rooms of several tenants', () => {
  let emulator: GraphEmulator;
  let contoso: EmulatedTenant;
  let fabrikam: EmulatedTenant;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    contoso = emulator.primary;
    fabrikam = emulator.addTenant({
      tenant: '9a8b7c6d-0000-4000-8000-fabrikam0001',
      clientId: '99999999-8888-7777-6666-555555555555',
      clientSecret: 'fabrikam~secret.fedcba9876543210',
    });
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.resetRecords();
    contoso.places.clear();
    fabrikam.places.clear();
    contoso.roles = fabrikam.roles = ['Calendars.ReadBasic.All', 'Place.Read.All'];
    contoso.places
      .addList('Contoso HQ', 'hq@contoso.com', ['c1@contoso.com'])
      .addList('Contoso Berlin', 'berlin@contoso.de', ['b1@contoso.de'])
      // In contoso's directory, but of a domain no tenant serves.
      .addList('Old brand', 'rooms@contoso-old.example', ['o1@contoso-old.example']);
    fabrikam.places.addList('Fabrikam Lab', 'lab@fabrikam.com', [
      { address: 'bench@fabrikam.com', name: 'Bench' },
    ]);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function relay(env: Record<string, string> = {}, google?: TokenRequestOptions) {
    app = await startRelay({
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
      ...emulator.relayEnvOf(contoso, 'contoso'),
      ...emulator.relayEnvOf(fabrikam, 'fabrikam'),
      GRAPH_DEADLINE_MS: '1500',
      ...env,
    });
    const token = await bearerTokenFor(app, google);
    return (body: string) =>
      app!.inject({
        method: 'POST',
        url: '/EWS/Exchange.asmx',
        headers: { ...SOAP, authorization: `Bearer ${token}` },
        payload: body,
      });
  }

  it("gives each tenant's lists, tenant by tenant, each asked of its own app", async () => {
    const ask = await relay();
    const lists = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
    expect(lists.entries.map((e) => e.address)).toEqual([
      'hq@contoso.com',
      'berlin@contoso.de',
      'lab@fabrikam.com',
    ]);
    const rooms = await roomDirectoryOf((await ask(roomsRequest('lab@fabrikam.com'))).body);
    expect(rooms.entries).toEqual([
      { name: 'Bench', address: 'bench@fabrikam.com', mailboxType: 'Mailbox' },
    ]);
    expect(contoso.placesCalls).toEqual(['/v1.0/places/microsoft.graph.roomlist?$top=100']);
    expect(fabrikam.placesCalls).toEqual([
      '/v1.0/places/microsoft.graph.roomlist?$top=100',
      '/v1.0/places/lab@fabrikam.com/microsoft.graph.roomlist/rooms?$top=100',
    ]);
  });

  it("keeps one tenant's lists while another cannot answer", async () => {
    fabrikam.faults.add('places', { kind: 'status', status: 503 }, { times: Infinity });
    const ask = await relay();
    const res = await ask(GET_ROOM_LISTS);
    expect(res.statusCode).toBe(200);
    expect((await roomDirectoryOf(res.body)).entries.map((e) => e.address)).toEqual([
      'hq@contoso.com',
      'berlin@contoso.de',
    ]);
  });

  it("keeps one tenant's lists while another lacks Place.Read.All", async () => {
    contoso.roles = ['Calendars.ReadBasic.All'];
    const ask = await relay();
    const lists = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
    expect(lists.entries.map((e) => e.address)).toEqual(['lab@fabrikam.com']);
  });

  it("shows a tenant's own Google client that tenant's lists only, and another's as unknown", async () => {
    const fabrikamGoogle = {
      clientId: 'google-fabrikam',
      clientSecret: 'fabrikam-google-0123456789',
    };
    const ask = await relay(
      {
        TENANT_FABRIKAM_GOOGLE_CLIENT_ID: fabrikamGoogle.clientId,
        TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: fabrikamGoogle.clientSecret,
      },
      fabrikamGoogle,
    );
    const lists = await roomDirectoryOf((await ask(GET_ROOM_LISTS)).body);
    expect(lists.entries.map((e) => e.address)).toEqual(['lab@fabrikam.com']);
    const other = await roomDirectoryOf((await ask(roomsRequest('hq@contoso.com'))).body);
    expect(other.responseCode).toBe('ErrorNameResolutionNoResults');
    expect(contoso.placesCalls).toEqual([]);
  });
});
