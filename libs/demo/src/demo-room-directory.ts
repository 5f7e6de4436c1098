import { Injectable } from '@nestjs/common';
import {
  domainOf,
  mailboxKey,
  RoomDirectory,
  type Room,
  type RoomDirectoryQuery,
  type RoomList,
} from '@app/availability';
import { DEMO_TENANTS } from './demo-availability';
import { DEMO_ROOM_LISTS, DEMO_ROOMS } from './demo-rooms';

/**
 * The demo's rooms (demo-rooms.ts) behind the RoomDirectory port: each demo tenant (one per
 * sample domain) has the lists and rooms of its domain. The policy in front of it is the real
 * one (ALLOWED_DOMAINS, the all-rooms list, ROOM_LISTS apply as with Graph).
 */
@Injectable()
export class DemoRoomDirectory extends RoomDirectory {
  readonly name = 'demo';

  roomLists(query: RoomDirectoryQuery): Promise<readonly RoomList[]> {
    return Promise.resolve(
      DEMO_ROOM_LISTS.filter((l) => inTenant(l.address, query.tenant)).map(({ name, address }) => ({
        name,
        address,
      })),
    );
  }

  roomsOf(query: RoomDirectoryQuery, listAddress: string): Promise<readonly Room[] | undefined> {
    const list = DEMO_ROOM_LISTS.find(
      (l) => mailboxKey(l.address) === mailboxKey(listAddress) && inTenant(l.address, query.tenant),
    );
    return Promise.resolve(
      list?.rooms.map((address) => DEMO_ROOMS.find((r) => r.address === address)!),
    );
  }

  allRooms(query: RoomDirectoryQuery): Promise<readonly Room[]> {
    return Promise.resolve(DEMO_ROOMS.filter((r) => inTenant(r.address, query.tenant)));
  }
}

function inTenant(address: string, tenant: string): boolean {
  return DEMO_TENANTS.some((t) => t.name === tenant && t.domain === domainOf(address));
}
