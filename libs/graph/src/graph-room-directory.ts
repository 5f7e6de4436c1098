import { Injectable } from '@nestjs/common';
import {
  RoomDirectory,
  UpstreamMisconfiguredError,
  type Room,
  type RoomDirectoryQuery,
  type RoomList,
} from '@app/availability';
import { RelayConfigStore } from '@app/config';
import { GraphAvailabilityProvider } from './graph-availability.provider';
import { GRAPH_LIMITS } from './graph-limits';
import type { GraphTenant } from './lookup/graph-tenant';
import { TenantRoomDirectory } from './rooms/tenant-room-directory';

/**
 * The RoomDirectory port on Microsoft Graph places: one TenantRoomDirectory (its cache, its
 * log-once) per tenant of the Graph provider, reading through that tenant's own app, token and
 * call slots. A tenant rebuilt by a configuration change gets a directory of its own.
 */
@Injectable()
export class GraphRoomDirectory extends RoomDirectory {
  readonly name = 'graph';
  private readonly directories = new Map<
    string,
    { readonly tenant: GraphTenant; readonly directory: TenantRoomDirectory }
  >();

  constructor(
    private readonly provider: GraphAvailabilityProvider,
    private readonly store: RelayConfigStore,
  ) {
    super();
  }

  roomLists(query: RoomDirectoryQuery): Promise<readonly RoomList[]> {
    return this.directoryOf(query.tenant).roomLists(query.requestId);
  }

  roomsOf(query: RoomDirectoryQuery, listAddress: string): Promise<readonly Room[] | undefined> {
    return this.directoryOf(query.tenant).roomsOf(listAddress, query.requestId);
  }

  allRooms(query: RoomDirectoryQuery): Promise<readonly Room[]> {
    return this.directoryOf(query.tenant).allRooms(query.requestId);
  }

  private directoryOf(name: string): TenantRoomDirectory {
    const tenant = this.provider.tenantNamed(name);
    if (tenant === undefined) {
      throw new UpstreamMisconfiguredError(`Microsoft Graph is not configured for tenant ${name}`);
    }
    const known = this.directories.get(name);
    if (known !== undefined && known.tenant === tenant) return known.directory;
    const directory = new TenantRoomDirectory(
      name,
      tenant,
      () => this.store.current().rooms.cacheTtlSeconds * 1000,
      GRAPH_LIMITS,
    );
    this.directories.set(name, { tenant, directory });
    return directory;
  }
}
