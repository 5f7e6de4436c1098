import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphEmulator } from './graph-emulator/graph-emulator';
import { runClient } from './support/client-process';
import { baseUrlOf, bearerTokenFor, startRelay } from './support/relay-app';

/**
 * Real EWS clients read the relay's room directory: exchangelib's protocol.get_roomlists() and
 * get_rooms(), ews-javascript-api's GetRoomLists and GetRooms, over HTTP against the whole relay
 * answering from the Graph emulator's places. What is asserted is what the client's user gets:
 * the lists and rooms by name and address, of the right mailbox types, and an unknown list as
 * the client's own ErrorNameResolutionNoResults error. Run as test/ews-real-clients.e2e-spec.ts
 * runs its clients (exchangelib from scripts/install-test-tools.sh).
 */

const CLIENTS = join(__dirname, 'clients');
const PYTHON = process.env.PYTHON ?? 'python3';
const UNKNOWN = 'no.such.list@contoso.com';

describe('real EWS clients reading room lists and rooms', () => {
  let emulator: GraphEmulator;
  let app: NestFastifyApplication;
  let ewsUrl: string;
  let token: string;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    emulator.places
      .addList('Building 1 & Annex', 'bldg1@contoso.com', [
        { address: 'cf101@contoso.com', name: 'Conf Room 1/101 (16) AV', capacity: 16 },
        { address: 'cf102@contoso.com', name: 'Conf Room 1/102 (8)', capacity: 8 },
      ])
      .addList('Building 2', 'bldg2@contoso.com', [
        { address: 'cf201@contoso.com', name: 'Café <2>' },
      ]);
    app = await startRelay(
      {
        ...emulator.relayEnv(),
        ALL_ROOMS_LIST_ADDRESS: 'all-rooms@contoso.com',
        ALL_ROOMS_LIST_NAME: 'All rooms',
      },
      { listen: true },
    );
    ewsUrl = `${baseUrlOf(app)}/EWS/Exchange.asmx`;
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  const lists = [
    ['Building 1 & Annex', 'bldg1@contoso.com'],
    ['Building 2', 'bldg2@contoso.com'],
    ['All rooms', 'all-rooms@contoso.com'],
  ];
  const building1 = [
    ['Conf Room 1/101 (16) AV', 'cf101@contoso.com'],
    ['Conf Room 1/102 (8)', 'cf102@contoso.com'],
  ];

  it("exchangelib's get_roomlists() and get_rooms() read every list and its rooms", async () => {
    const answer = (await runClient(
      PYTHON,
      [join(CLIENTS, 'exchangelib_rooms.py'), ewsUrl, token, UNKNOWN],
      // requests-oauthlib refuses bearer tokens over plain HTTP; the test relay listens on
      // loopback without TLS, so allow it for this client only.
      { OAUTHLIB_INSECURE_TRANSPORT: '1' },
    )) as {
      room_lists: { name: string; email_address: string; mailbox_type: string }[];
      rooms: Record<
        string,
        { name: string; email_address: string; mailbox_type: string }[] | { error: string }
      >;
    };
    expect(answer.room_lists.map((l) => [l.name, l.email_address])).toEqual(lists);
    expect(answer.room_lists.every((l) => l.mailbox_type === 'PublicDL')).toBe(true);
    const rooms = answer.rooms['bldg1@contoso.com'] as {
      name: string;
      email_address: string;
      mailbox_type: string;
    }[];
    expect(rooms.map((r) => [r.name, r.email_address, r.mailbox_type])).toEqual(
      building1.map(([name, address]) => [name, address, 'Mailbox']),
    );
    expect(answer.rooms['bldg2@contoso.com']).toEqual([
      { name: 'Café <2>', email_address: 'cf201@contoso.com', mailbox_type: 'Mailbox' },
    ]);
    expect((answer.rooms['all-rooms@contoso.com'] as unknown[]).length).toBe(3);
    expect(answer.rooms[UNKNOWN]).toEqual({
      error: 'ErrorNameResolutionNoResults',
      message: 'No results were found.',
    });
  });

  it("ews-javascript-api's GetRoomLists and GetRooms read every list and its rooms", async () => {
    const answer = (await runClient(process.execPath, [
      join(CLIENTS, 'ews-javascript-api-rooms.js'),
      ewsUrl,
      token,
      UNKNOWN,
    ])) as {
      roomLists: { name: string; address: string; mailboxType: string }[];
      rooms: Record<
        string,
        { name: string; address: string; mailboxType: string }[] | { error: string }
      >;
    };
    expect(answer.roomLists.map((l) => [l.name, l.address])).toEqual(lists);
    expect(answer.roomLists.every((l) => l.mailboxType === 'PublicGroup')).toBe(true);
    const rooms = answer.rooms['bldg1@contoso.com'] as {
      name: string;
      address: string;
      mailboxType: string;
    }[];
    expect(rooms.map((r) => [r.name, r.address, r.mailboxType])).toEqual(
      building1.map(([name, address]) => [name, address, 'Mailbox']),
    );
    expect(answer.rooms['bldg2@contoso.com']).toEqual([
      { name: 'Café <2>', address: 'cf201@contoso.com', mailboxType: 'Mailbox' },
    ]);
    expect(answer.rooms[UNKNOWN]).toMatchObject({ error: 'ErrorNameResolutionNoResults' });
  });

  it('both read a tenant without room lists as an empty collection', async () => {
    const empty = await GraphEmulator.start();
    const bare = await startRelay(empty.relayEnv(), { listen: true });
    try {
      const url = `${baseUrlOf(bare)}/EWS/Exchange.asmx`;
      const bareToken = await bearerTokenFor(bare);
      const py = (await runClient(PYTHON, [join(CLIENTS, 'exchangelib_rooms.py'), url, bareToken], {
        OAUTHLIB_INSECURE_TRANSPORT: '1',
      })) as { room_lists: unknown[] };
      const js = (await runClient(process.execPath, [
        join(CLIENTS, 'ews-javascript-api-rooms.js'),
        url,
        bareToken,
      ])) as { roomLists: unknown[] };
      expect(py.room_lists).toEqual([]);
      expect(js.roomLists).toEqual([]);
    } finally {
      await bare.close();
      await empty.close();
    }
  });
});
