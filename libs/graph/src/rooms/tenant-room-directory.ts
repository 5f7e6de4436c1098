import { Logger } from '@nestjs/common';
import type { Room, RoomList } from '@app/availability';
import { placesAvailableAt } from '../entra/graph-cloud';
import type { GraphLimits } from '../graph-limits';
import { roomListOf, roomOf, type GraphPlace } from '../wire/places-wire';
import { PlacesReader, type PlacesCaller } from './places-reader';

/** What a collection came to, as kept in the cache. */
type Collection =
  | { readonly kind: 'places'; readonly places: readonly GraphPlace[] }
  /** 404: Graph has no such room list. */
  | { readonly kind: 'notFound' }
  /** 403 (no Place.Read.All), or a cloud without places: answered as no room lists. */
  | { readonly kind: 'unavailable' };

interface Cached {
  readonly value: Collection;
  readonly atMs: number;
}

/** Room lists, rooms of a list, all rooms: the collections of one tenant worth keeping. */
const MAX_ENTRIES = 2_000;

/**
 * A refusal is asked again sooner than the cache TTL: an administrator who has just granted
 * Place.Read.All should not wait an hour for the rooms.
 */
const UNAVAILABLE_RECHECK_MS = 5 * 60_000;

/** A collection older than the TTL still answers, for this long, while Graph fails. */
const STALE_FOR_MS = 24 * 3_600_000;

/**
 * One tenant's room directory on Graph places: its room lists, the rooms of a list (named by
 * its address, "not by its id", place-list.md) and all its rooms, each collection read to its
 * end (places-reader.ts) and kept for ROOMS_CACHE_TTL_SECONDS (an hour by default: Places
 * itself lags Exchange by hours, "typically it will 4 to 24 hours to reflect the changes",
 * Microsoft Q&A 701100). Identical reads in flight are joined. While Graph fails, the last
 * answer (up to a day old) stands; without one the port's error is thrown.
 *
 * Without Place.Read.All Graph refuses every places call (403, "place.read.all permission is
 * required to read company places", microsoftgraph/microsoft-graph-docs #5666), and the national
 * clouds have no places at all: the tenant then has no room lists, said once in the log (again
 * only after places worked in between), and free/busy goes on.
 */
export class TenantRoomDirectory {
  private readonly logger = new Logger('GraphRoomDirectory');
  private readonly reader: PlacesReader;
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<Collection>>();
  private unavailableSaid = false;

  constructor(
    readonly tenant: string,
    private readonly caller: PlacesCaller,
    /** ROOMS_CACHE_TTL_SECONDS in ms, read at each use; 0: every request asks Graph. */
    private readonly cacheTtlMs: () => number,
    limits: GraphLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.reader = new PlacesReader(caller, limits);
  }

  async roomLists(requestId?: string): Promise<RoomList[]> {
    const lists = await this.collection('/places/microsoft.graph.roomlist', requestId);
    return lists.kind === 'places' ? present(lists.places.map(roomListOf)) : [];
  }

  /** Undefined: Graph has no such list (or no places for this app). */
  async roomsOf(listAddress: string, requestId?: string): Promise<Room[] | undefined> {
    const rooms = await this.collection(
      `/places/${encodeURIComponent(listAddress.trim().toLowerCase())}/microsoft.graph.roomlist/rooms`,
      requestId,
    );
    return rooms.kind === 'places' ? present(rooms.places.map(roomOf)) : undefined;
  }

  async allRooms(requestId?: string): Promise<Room[]> {
    const rooms = await this.collection('/places/microsoft.graph.room', requestId);
    return rooms.kind === 'places' ? present(rooms.places.map(roomOf)) : [];
  }

  private async collection(path: string, requestId: string | undefined): Promise<Collection> {
    if (!placesAvailableAt(this.caller.endpoint)) {
      this.sayUnavailableOnce(
        `GRAPH_ENDPOINT ${this.caller.endpoint} is a national cloud, where Microsoft Graph has no places API: GetRoomLists answers no room lists; set ROOM_LISTS to serve room lists from the configuration`,
      );
      return { kind: 'unavailable' };
    }
    const cacheTtlMs = this.cacheTtlMs();
    const cached = this.cache.get(path);
    const nowMs = this.now();
    if (cached !== undefined) {
      const freshForMs =
        cached.value.kind === 'unavailable'
          ? Math.min(cacheTtlMs, UNAVAILABLE_RECHECK_MS)
          : cacheTtlMs;
      if (nowMs - cached.atMs < freshForMs) return cached.value;
    }
    let reading = this.inFlight.get(path);
    if (reading === undefined) {
      reading = this.read(path, requestId).finally(() => this.inFlight.delete(path));
      this.inFlight.set(path, reading);
    }
    try {
      return await reading;
    } catch (error) {
      if (cached !== undefined && nowMs - cached.atMs < STALE_FOR_MS) {
        this.logger.warn(
          `Microsoft Graph places failed for tenant ${this.tenant} (${(error as Error).message}): answering from the copy of ${Math.round((nowMs - cached.atMs) / 60_000)} minutes ago${tag(requestId)}`,
        );
        return cached.value;
      }
      throw error;
    }
  }

  private async read(path: string, requestId: string | undefined): Promise<Collection> {
    const read = await this.reader.read(path);
    let value: Collection;
    switch (read.kind) {
      case 'failed':
        throw read.error;
      case 'forbidden':
        this.sayUnavailableOnce(
          `Microsoft Graph refused the room directory (${read.detail}): GetRoomLists answers no room lists and GetRooms no rooms until the app has the Place.Read.All application permission with admin consent; free/busy is not affected`,
        );
        value = { kind: 'unavailable' };
        break;
      case 'notFound':
        value = { kind: 'notFound' };
        break;
      case 'read':
        this.unavailableSaid = false;
        if (read.stopped !== undefined || read.skipPages > 0) {
          this.logger.log(
            `Microsoft Graph places ${path} for tenant ${this.tenant}: ${read.places.length} places in ${read.pages} pages${read.skipPages > 0 ? `, ${read.skipPages} of them by $skip (no @odata.nextLink)` : ''}${read.stopped !== undefined ? `; stopped: ${read.stopped}` : ''}${tag(requestId)}`,
          );
        }
        value = { kind: 'places', places: read.places };
        break;
    }
    this.remember(path, value);
    return value;
  }

  private remember(path: string, value: Collection): void {
    if (this.cacheTtlMs() <= 0) return;
    this.cache.delete(path);
    this.cache.set(path, { value, atMs: this.now() });
    while (this.cache.size > MAX_ENTRIES) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }

  private sayUnavailableOnce(message: string): void {
    if (this.unavailableSaid) return;
    this.unavailableSaid = true;
    this.logger.warn(`${message} (tenant ${this.tenant})`);
  }
}

function present<T>(entries: readonly (T | undefined)[]): T[] {
  return entries.filter((e): e is T => e !== undefined);
}

function tag(requestId: string | undefined): string {
  return requestId !== undefined ? ` [request ${requestId}]` : '';
}
