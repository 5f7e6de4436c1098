import { UpstreamThrottledError } from './availability-errors';
import { mailboxPolicy, type TenantRoute } from './mailbox-policy';
import { RoomDirectory, type Room, type RoomDirectoryQuery, type RoomList } from './room-directory';
import { lookUpRoomLists, lookUpRooms, type RoomListSettings } from './room-lookup';

const contoso: TenantRoute = { name: 'contoso', domains: ['contoso.com'], eventDetails: false };
const fabrikam: TenantRoute = { name: 'fabrikam', domains: ['fabrikam.com'], eventDetails: false };
const both = { tenants: [contoso, fabrikam], roleAccountDomainOnly: false };

const room = (address: string, name = address.split('@')[0]): Room => ({ name, address });

/** Each tenant's directory as data; what was asked is kept. */
class DirectoryOf extends RoomDirectory {
  readonly name = 'test';
  readonly asked: string[] = [];
  failing = new Map<string, Error>();

  constructor(
    private readonly tenants: Record<
      string,
      { lists: Record<string, { name: string; rooms: Room[] }>; unlisted?: Room[] }
    >,
  ) {
    super();
  }

  roomLists(query: RoomDirectoryQuery): Promise<readonly RoomList[]> {
    this.asked.push(`lists ${query.tenant}`);
    const failure = this.failing.get(query.tenant);
    if (failure !== undefined) return Promise.reject(failure);
    return Promise.resolve(
      Object.entries(this.tenants[query.tenant]?.lists ?? {}).map(([address, l]) => ({
        name: l.name,
        address,
      })),
    );
  }

  roomsOf(query: RoomDirectoryQuery, listAddress: string): Promise<readonly Room[] | undefined> {
    this.asked.push(`rooms ${query.tenant} ${listAddress}`);
    return Promise.resolve(this.tenants[query.tenant]?.lists[listAddress.toLowerCase()]?.rooms);
  }

  allRooms(query: RoomDirectoryQuery): Promise<readonly Room[]> {
    this.asked.push(`all ${query.tenant}`);
    const tenant = this.tenants[query.tenant];
    return Promise.resolve([
      ...Object.values(tenant?.lists ?? {}).flatMap((l) => l.rooms),
      ...(tenant?.unlisted ?? []),
    ]);
  }
}

const directory = () =>
  new DirectoryOf({
    contoso: {
      lists: {
        'building1@contoso.com': {
          name: 'Building 1',
          rooms: [room('board@contoso.com', 'Board Room'), room('huddle@contoso.com')],
        },
        // A list of another domain in the tenant's directory (ALLOWED_DOMAINS leaves it out).
        'outpost@contoso.net': { name: 'Outpost', rooms: [room('cabin@contoso.net')] },
      },
      unlisted: [room('lab@contoso.com'), room('board@contoso.com', 'Board Room')],
    },
    fabrikam: {
      lists: { 'hq@fabrikam.com': { name: 'HQ', rooms: [room('atrium@fabrikam.com')] } },
    },
  });

const none: RoomListSettings = { configuredLists: [] };

describe('lookUpRoomLists', () => {
  it("gives each tenant's lists, tenant by tenant, only those of the tenant's own domains", async () => {
    const found = await lookUpRoomLists(directory(), mailboxPolicy(both), none);
    expect(found.lists).toEqual([
      { name: 'Building 1', address: 'building1@contoso.com' },
      { name: 'HQ', address: 'hq@fabrikam.com' },
    ]);
    expect(found.tenants).toEqual(['contoso', 'fabrikam']);
  });

  it("asks only the tenants a tenant's own Google client or a role account of one domain sees", async () => {
    const rooms = directory();
    const own = await lookUpRoomLists(
      rooms,
      mailboxPolicy(both, { tenants: new Set(['fabrikam']) }),
      none,
    );
    expect(own.lists.map((l) => l.address)).toEqual(['hq@fabrikam.com']);
    const role = await lookUpRoomLists(
      rooms,
      mailboxPolicy(
        { ...both, roleAccountDomainOnly: true },
        { roleAccount: 'interop@contoso.com' },
      ),
      none,
    );
    expect(role.lists.map((l) => l.address)).toEqual(['building1@contoso.com']);
    expect(rooms.asked).toEqual(['lists fabrikam', 'lists contoso']);
  });

  it('adds the all-rooms list to the tenant its address routes to, last', async () => {
    const found = await lookUpRoomLists(directory(), mailboxPolicy(both), {
      configuredLists: [],
      allRoomsList: { name: 'All rooms', address: 'all-rooms@contoso.com' },
    });
    expect(found.lists.map((l) => l.address)).toEqual([
      'building1@contoso.com',
      'all-rooms@contoso.com',
      'hq@fabrikam.com',
    ]);
  });

  it('serves a tenant whose lists are configured without asking its directory', async () => {
    const rooms = directory();
    const found = await lookUpRoomLists(rooms, mailboxPolicy(both), {
      configuredLists: [
        { name: 'Configured', address: 'floor2@contoso.com', rooms: [room('r1@contoso.com')] },
      ],
    });
    expect(found.lists.map((l) => l.address)).toEqual(['floor2@contoso.com', 'hq@fabrikam.com']);
    expect(rooms.asked).toEqual(['lists fabrikam']);
  });

  it("leaves out a failing tenant's lists while another answers, and fails when all fail", async () => {
    const rooms = directory();
    rooms.failing.set('fabrikam', new UpstreamThrottledError('throttled', 2000));
    const found = await lookUpRoomLists(rooms, mailboxPolicy(both), none);
    expect(found.lists.map((l) => l.address)).toEqual(['building1@contoso.com']);
    expect(found.failedTenants.map((f) => f.tenant)).toEqual(['fabrikam']);
    rooms.failing.set('contoso', new UpstreamThrottledError('throttled', 2000));
    await expect(lookUpRoomLists(rooms, mailboxPolicy(both), none)).rejects.toBeInstanceOf(
      UpstreamThrottledError,
    );
  });
});

describe('lookUpRooms', () => {
  it('gives the rooms of a list, asked of the tenant its address routes to', async () => {
    const rooms = directory();
    const found = await lookUpRooms(rooms, mailboxPolicy(both), none, 'Building1@Contoso.com');
    expect(found).toEqual({
      kind: 'rooms',
      tenant: 'contoso',
      rooms: [room('board@contoso.com', 'Board Room'), room('huddle@contoso.com')],
    });
    expect(rooms.asked).toEqual(['rooms contoso Building1@Contoso.com']);
  });

  it('answers a list outside the view or the allowed domains as unknown, without asking', async () => {
    const rooms = directory();
    const own = mailboxPolicy(both, { tenants: new Set(['fabrikam']) });
    expect(await lookUpRooms(rooms, own, none, 'building1@contoso.com')).toEqual({
      kind: 'unknownList',
      why: 'refused',
    });
    expect(await lookUpRooms(rooms, mailboxPolicy(both), none, 'outpost@contoso.net')).toEqual({
      kind: 'unknownList',
      why: 'refused',
    });
    expect(rooms.asked).toEqual([]);
    expect(await lookUpRooms(rooms, mailboxPolicy(both), none, 'nolist@contoso.com')).toEqual({
      kind: 'unknownList',
      why: 'notInDirectory',
      tenant: 'contoso',
    });
  });

  it('holds every room of the tenant, each once, in the all-rooms list', async () => {
    const found = await lookUpRooms(
      directory(),
      mailboxPolicy(both),
      { configuredLists: [], allRoomsList: { name: 'All rooms', address: 'all@contoso.com' } },
      'all@contoso.com',
    );
    expect(found.kind === 'rooms' && found.rooms.map((r) => r.address)).toEqual([
      'board@contoso.com',
      'huddle@contoso.com',
      'lab@contoso.com',
    ]);
  });

  it('answers configured lists from the configuration, and their union as all rooms', async () => {
    const rooms = directory();
    const settings: RoomListSettings = {
      allRoomsList: { name: 'All rooms', address: 'all@contoso.com' },
      configuredLists: [
        { name: 'A', address: 'a@contoso.com', rooms: [room('r1@contoso.com')] },
        {
          name: 'B',
          address: 'b@contoso.com',
          rooms: [room('r2@contoso.com'), room('r1@contoso.com')],
        },
      ],
    };
    const b = await lookUpRooms(rooms, mailboxPolicy(both), settings, 'b@contoso.com');
    expect(b.kind === 'rooms' && b.rooms.map((r) => r.address)).toEqual([
      'r2@contoso.com',
      'r1@contoso.com',
    ]);
    const all = await lookUpRooms(rooms, mailboxPolicy(both), settings, 'all@contoso.com');
    expect(all.kind === 'rooms' && all.rooms.map((r) => r.address)).toEqual([
      'r1@contoso.com',
      'r2@contoso.com',
    ]);
    expect(await lookUpRooms(rooms, mailboxPolicy(both), settings, 'c@contoso.com')).toMatchObject({
      kind: 'unknownList',
    });
    expect(rooms.asked).toEqual([]);
  });

  it('leaves out rooms of domains the tenant does not serve', async () => {
    const rooms = new DirectoryOf({
      contoso: {
        lists: {
          'mixed@contoso.com': {
            name: 'Mixed',
            rooms: [room('ok@contoso.com'), room('other@fabrikam.com'), room('odd@contoso.net')],
          },
        },
      },
    });
    const found = await lookUpRooms(rooms, mailboxPolicy(both), none, 'mixed@contoso.com');
    expect(found.kind === 'rooms' && found.rooms.map((r) => r.address)).toEqual(['ok@contoso.com']);
  });
});
