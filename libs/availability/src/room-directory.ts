/**
 * The room directory port: a tenant's room lists and the rooms in them, as EWS GetRoomLists and
 * GetRooms serve them (docs/protocol.md section 9). The app binds it beside the
 * AvailabilityProvider (Graph places, or the demo's sample rooms); lookUpRoomLists and
 * lookUpRooms (room-lookup.ts) put the mailbox policy in front of it. A room's availability is
 * not asked here: rooms are mailboxes, answered by GetUserAvailability like any other.
 */

/** A room list: a distribution list of rooms (EWS `t:Address`, MailboxType PublicDL). */
export interface RoomList {
  /** Display name. */
  readonly name: string;
  /** SMTP address: the list is named by it in GetRooms (and in Graph's URL). */
  readonly address: string;
}

/** A room mailbox (EWS `t:Room/t:Id`, MailboxType Mailbox). */
export interface Room {
  readonly name: string;
  readonly address: string;
  /** Seats, when the directory knows them (EWS has no place for it; kept for the log). */
  readonly capacity?: number;
  readonly wheelchairAccessible?: boolean;
}

/** Which tenant's directory is asked, and for which request (log lines). */
export interface RoomDirectoryQuery {
  readonly tenant: string;
  readonly requestId?: string;
}

/**
 * Used as the DI token itself (an abstract class survives compilation, an interface would not).
 *
 * A directory that cannot read the tenant's rooms for a reason only an operator can fix (Graph
 * refuses the app Place.Read.All, a cloud without Places) answers as a tenant without room
 * lists would, and says so in its own log once: free/busy goes on either way. It throws the
 * port's errors (availability-errors.ts) only for failures that pass (throttling, an outage).
 */
export abstract class RoomDirectory {
  /** A short name for logs ("graph", "demo"). */
  abstract readonly name: string;

  /** The tenant's room lists, in the directory's order. */
  abstract roomLists(query: RoomDirectoryQuery): Promise<readonly RoomList[]>;

  /** The rooms of one of the tenant's lists, by its address; undefined: no such list. */
  abstract roomsOf(
    query: RoomDirectoryQuery,
    listAddress: string,
  ): Promise<readonly Room[] | undefined>;

  /** Every room of the tenant, in a room list or not (for the all-rooms list). */
  abstract allRooms(query: RoomDirectoryQuery): Promise<readonly Room[]>;
}
