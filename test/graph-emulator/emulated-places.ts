/**
 * One tenant's Graph places (rooms and room lists) for the emulator, written as the service
 * writes them, each way with its source:
 *
 * - pages of 100 by default, `$top` for another size, `$skip` to start further in, past the
 *   end an empty page (microsoft-graph-docs-contrib api-reference/v1.0/api/place-list.md;
 *   microsoftgraph/microsoft-graph-docs #6427);
 * - `@odata.nextLink` when more remain, unless `omitNextLink` (reported missing again and again:
 *   microsoft-graph-docs-contrib #7196, #341; microsoftgraph/msgraph-sdk-dotnet #2190);
 * - `capacity` as Int32 (the room resource page) or as a string (place-list's own sample,
 *   `"capacity": "50"`), and wheelchair access as `isWheelChairAccessible` (the resource page)
 *   or `isWheelchairAccessible` (the samples);
 * - a room list is named by its email address, "not by its id"; an unknown one is a 404;
 * - rooms hidden from the address list are not listed ("Rooms that are marked 'Hidden from GAL'
 *   can't be retrieved through this endpoint", learn.microsoft.com/graph/api/place-list).
 */

export interface EmulatedRoom {
  readonly address: string;
  readonly name?: string;
  readonly capacity?: number;
  readonly wheelchairAccessible?: boolean;
  /** HiddenFromAddressListsEnabled: the mailbox exists, places does not list it. */
  readonly hiddenFromAddressList?: boolean;
}

export interface EmulatedRoomList {
  readonly address: string;
  readonly name: string;
  readonly rooms: readonly string[];
}

/** One page of a collection, as Graph's JSON. */
export type PlacesPage = Record<string, unknown>;

export class EmulatedPlaces {
  private readonly rooms = new Map<string, EmulatedRoom>();
  private readonly lists = new Map<string, EmulatedRoomList>();
  /** Graph leaves `@odata.nextLink` out although more places remain. */
  omitNextLink = false;
  /** How `capacity` is written. */
  capacityAs: 'number' | 'string' = 'number';
  /** Which spelling carries wheelchair access. */
  wheelchairSpelling: 'isWheelChairAccessible' | 'isWheelchairAccessible' =
    'isWheelChairAccessible';

  /** Adds (or replaces) rooms. */
  addRooms(...rooms: readonly EmulatedRoom[]): this {
    for (const room of rooms) this.rooms.set(room.address.toLowerCase(), room);
    return this;
  }

  /** Adds a room list of these rooms (added as rooms too, named by their address). */
  addList(name: string, address: string, rooms: readonly (string | EmulatedRoom)[]): this {
    const members = rooms.map((r) => (typeof r === 'string' ? { address: r } : r));
    for (const room of members) {
      const key = room.address.toLowerCase();
      this.rooms.set(key, { ...this.rooms.get(key), ...room });
    }
    this.lists.set(address.toLowerCase(), { name, address, rooms: members.map((r) => r.address) });
    return this;
  }

  clear(): void {
    this.rooms.clear();
    this.lists.clear();
    this.omitNextLink = false;
    this.capacityAs = 'number';
    this.wheelchairSpelling = 'isWheelChairAccessible';
  }

  /** GET /places/microsoft.graph.roomlist */
  roomListsPage(url: URL, origin: string): PlacesPage {
    const lists = [...this.lists.values()].map((l, i) => ({
      id: `DC404124-302A-92AA-F98D-${String(i).padStart(12, '0')}`,
      displayName: l.name,
      address: null,
      geocoordinates: null,
      phone: null,
      emailAddress: l.address,
    }));
    return this.page(lists, url, origin, 'places/microsoft.graph.roomList');
  }

  /** GET /places/{list}/microsoft.graph.roomlist/rooms; undefined: no such list. */
  roomsOfListPage(list: string, url: URL, origin: string): PlacesPage | undefined {
    const found = this.lists.get(list.toLowerCase());
    if (found === undefined) return undefined;
    const rooms = found.rooms
      .map((address) => this.rooms.get(address.toLowerCase()))
      .filter((r): r is EmulatedRoom => r !== undefined && r.hiddenFromAddressList !== true);
    return this.page(
      rooms.map((r) => this.roomJson(r)),
      url,
      origin,
      `places('${encodeURIComponent(found.address)}')/microsoft.graph.roomList/rooms`,
    );
  }

  /** GET /places/microsoft.graph.room */
  allRoomsPage(url: URL, origin: string): PlacesPage {
    const rooms = [...this.rooms.values()].filter((r) => r.hiddenFromAddressList !== true);
    return this.page(
      rooms.map((r) => this.roomJson(r)),
      url,
      origin,
      'places/microsoft.graph.room',
    );
  }

  private roomJson(room: EmulatedRoom): Record<string, unknown> {
    const index = [...this.rooms.keys()].indexOf(room.address.toLowerCase());
    return {
      id: `3162F1E1-C4C0-604B-51D8-${String(index).padStart(12, '0')}`,
      emailAddress: room.address,
      displayName: room.name ?? room.address.split('@')[0],
      address: null,
      geoCoordinates: null,
      phone: null,
      nickname: room.name ?? null,
      building: null,
      floorNumber: null,
      capacity:
        room.capacity === undefined
          ? null
          : this.capacityAs === 'string'
            ? String(room.capacity)
            : room.capacity,
      [this.wheelchairSpelling]: room.wheelchairAccessible ?? false,
      bookingType: 'standard',
      tags: [],
    };
  }

  private page(
    items: readonly Record<string, unknown>[],
    url: URL,
    origin: string,
    context: string,
  ): PlacesPage {
    const top = Math.max(1, Math.min(999, Number(url.searchParams.get('$top') ?? 100) || 100));
    // Graph's nextLinks carry an opaque $skiptoken; a client's own paging uses $skip.
    const token = url.searchParams.get('$skiptoken');
    const skip =
      token !== null
        ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0
        : Math.max(0, Number(url.searchParams.get('$skip') ?? 0) || 0);
    const value = items.slice(skip, skip + top);
    const more = skip + top < items.length;
    const next = `${origin}${url.pathname}?$top=${top}&$skiptoken=${Buffer.from(String(skip + top)).toString('base64url')}`;
    return {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${context}`,
      value,
      ...(more && !this.omitNextLink ? { '@odata.nextLink': next } : {}),
    };
  }
}
