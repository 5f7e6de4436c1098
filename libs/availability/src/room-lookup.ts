import { AvailabilityError } from './availability-errors';
import { mailboxKey } from './mailbox-address';
import type { MailboxPolicy } from './mailbox-policy';
import type { Room, RoomDirectory, RoomList } from './room-directory';

/**
 * GetRoomLists and GetRooms through the one mailbox policy, the same way for every directory:
 *
 * - A caller sees the lists of the tenants in its view (its Google client's tenants, its role
 *   account's domain), each list and each room only when its own address passes the policy and
 *   routes to the tenant that listed it: ALLOWED_DOMAINS and the tenants' domains hide lists and
 *   rooms of other domains, as they hide their free/busy.
 * - A list the caller may not see is answered as an unknown one (Exchange's
 *   ErrorNameResolutionNoResults): no caller learns more about a list outside its view than
 *   about one that does not exist.
 * - Rooms in no room list are invisible to EWS clients (GetRooms takes a list): the optional
 *   all-rooms list holds every room of the tenant its address routes to.
 * - Lists from configuration (ROOM_LISTS, for clouds without Graph places) replace the
 *   directory for the tenants their addresses route to.
 */

/** A room list written in the configuration, with its rooms. */
export interface ConfiguredRoomList extends RoomList {
  readonly rooms: readonly Room[];
}

export interface RoomListSettings {
  /** The synthetic list of every room; absent: none. */
  readonly allRoomsList?: RoomList;
  /** ROOM_LISTS: lists that replace the directory for the tenants they route to. */
  readonly configuredLists: readonly ConfiguredRoomList[];
}

export interface RoomListsLookup {
  readonly lists: readonly RoomList[];
  /** The tenants asked (for the log line). */
  readonly tenants: readonly string[];
  /** Tenants that could not answer while others did: their lists are left out. */
  readonly failedTenants: readonly { readonly tenant: string; readonly error: AvailabilityError }[];
}

export type RoomsLookup =
  | { readonly kind: 'rooms'; readonly tenant: string; readonly rooms: readonly Room[] }
  | {
      readonly kind: 'unknownList';
      /** Why, for the log (the caller gets the same answer either way). */
      readonly why: 'refused' | 'notInDirectory';
      readonly tenant?: string;
    };

/**
 * Every room list the caller may see, tenant by tenant in configuration order (the tenants
 * asked together). When some tenants fail as a whole their lists are left out and named in
 * `failedTenants`; when every tenant asked fails, the first failure is thrown.
 */
export async function lookUpRoomLists(
  directory: RoomDirectory,
  policy: MailboxPolicy,
  settings: RoomListSettings,
  requestId?: string,
): Promise<RoomListsLookup> {
  const tenants = policy.tenantsInView();
  const answers = await Promise.all(
    tenants.map(async (tenant) => {
      try {
        return { tenant, lists: await listsOf(directory, policy, settings, tenant, requestId) };
      } catch (error) {
        if (error instanceof AvailabilityError) return { tenant, error };
        throw error;
      }
    }),
  );
  const failedTenants = answers.flatMap((a) =>
    a.error !== undefined ? [{ tenant: a.tenant, error: a.error }] : [],
  );
  if (failedTenants.length > 0 && failedTenants.length === answers.length) {
    throw failedTenants[0].error;
  }
  return { lists: answers.flatMap((a) => a.lists ?? []), tenants, failedTenants };
}

/** The rooms of the list named by `listAddress`, as far as the caller may see them. */
export async function lookUpRooms(
  directory: RoomDirectory,
  policy: MailboxPolicy,
  settings: RoomListSettings,
  listAddress: string,
  requestId?: string,
): Promise<RoomsLookup> {
  const verdict = policy.verdictFor(listAddress);
  if (verdict.kind !== 'lookup') {
    return { kind: 'unknownList', why: 'refused' };
  }
  const { tenant } = verdict;
  const key = mailboxKey(listAddress);
  const configured = configuredListsOf(policy, settings, tenant);
  let rooms: readonly Room[] | undefined;
  if (settings.allRoomsList !== undefined && mailboxKey(settings.allRoomsList.address) === key) {
    rooms =
      configured.length > 0
        ? configured.flatMap((l) => l.rooms)
        : await directory.allRooms({ tenant, requestId });
  } else if (configured.length > 0) {
    rooms = configured.find((l) => mailboxKey(l.address) === key)?.rooms;
  } else {
    rooms = await directory.roomsOf({ tenant, requestId }, listAddress.trim());
  }
  if (rooms === undefined) return { kind: 'unknownList', why: 'notInDirectory', tenant };
  return { kind: 'rooms', tenant, rooms: visibleIn(policy, tenant, rooms) };
}

async function listsOf(
  directory: RoomDirectory,
  policy: MailboxPolicy,
  settings: RoomListSettings,
  tenant: string,
  requestId: string | undefined,
): Promise<RoomList[]> {
  const configured = configuredListsOf(policy, settings, tenant);
  const lists =
    configured.length > 0
      ? configured.map(({ name, address }) => ({ name, address }))
      : visibleIn(policy, tenant, await directory.roomLists({ tenant, requestId }));
  const all = settings.allRoomsList;
  if (all !== undefined && routesTo(policy, all.address, tenant)) {
    const key = mailboxKey(all.address);
    // The configured all-rooms list wins over a directory list of the same address.
    return [...lists.filter((l) => mailboxKey(l.address) !== key), all];
  }
  return lists;
}

function configuredListsOf(
  policy: MailboxPolicy,
  settings: RoomListSettings,
  tenant: string,
): readonly ConfiguredRoomList[] {
  return settings.configuredLists.filter((l) => routesTo(policy, l.address, tenant));
}

/** The entries whose address the policy routes to `tenant`, each once, in order. */
function visibleIn<T extends RoomList>(
  policy: MailboxPolicy,
  tenant: string,
  entries: readonly T[],
): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = mailboxKey(entry.address);
    if (seen.has(key) || !routesTo(policy, entry.address, tenant)) return false;
    seen.add(key);
    return true;
  });
}

function routesTo(policy: MailboxPolicy, address: string, tenant: string): boolean {
  const verdict = policy.verdictFor(address);
  return verdict.kind === 'lookup' && verdict.tenant === tenant;
}
