import type { Room, RoomList } from '@app/availability';
import { readHttpError, type GraphCallOutcome } from './graph-call-outcome';

/**
 * Graph's places (`GET /places/microsoft.graph.roomlist`, `/places/{list}/microsoft.graph.roomlist/rooms`,
 * `/places/microsoft.graph.room`; docs/protocol.md section 9) as they arrive, and their mapping
 * to the neutral rooms. Every field may be missing, null or of another type than documented:
 *
 * - `capacity` is Int32 in the room resource page and `"50"`, a string, in place-list's own
 *   sample (microsoft-graph-docs-contrib api-reference/v1.0/resources/room.md and
 *   api-reference/v1.0/api/place-list.md);
 * - wheelchair access is `isWheelChairAccessible` in the resource page and
 *   `isWheelchairAccessible` in the samples and the early beta page (microsoftgraph/
 *   microsoft-graph-docs PR #4681).
 *
 * A place without an email address cannot be named in GetRooms or looked up: it is left out.
 */
export interface GraphPlace {
  readonly id?: unknown;
  readonly displayName?: unknown;
  readonly emailAddress?: unknown;
  readonly capacity?: unknown;
  readonly isWheelChairAccessible?: unknown;
  readonly isWheelchairAccessible?: unknown;
}

/** How one places call ended: a page of places, or what getSchedule's calls can end with. */
export type PlacesCallOutcome =
  | {
      readonly kind: 'page';
      readonly places: readonly GraphPlace[];
      /** `@odata.nextLink`, when Graph sent one (it does not always: place-pager.ts). */
      readonly nextLink?: string;
    }
  | Exclude<GraphCallOutcome, { readonly kind: 'answered' }>;

/** Reads a places HTTP answer. Pure; `nowMs` dates an HTTP-date Retry-After. */
export function readPlacesResponse(
  status: number,
  retryAfter: string | null,
  body: string,
  nowMs: number,
): PlacesCallOutcome {
  if (status < 200 || status >= 300) return readHttpError(status, retryAfter, body, nowMs);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', status, detail: 'the answer is not JSON' };
  }
  const page = json as { value?: unknown; '@odata.nextLink'?: unknown } | null;
  const value = page?.value;
  if (!Array.isArray(value)) {
    return { kind: 'unreadable', status, detail: 'the answer has no value[] array' };
  }
  const nextLink = page?.['@odata.nextLink'];
  return {
    kind: 'page',
    places: value.filter((p): p is GraphPlace => typeof p === 'object' && p !== null),
    ...(typeof nextLink === 'string' && nextLink !== '' ? { nextLink } : {}),
  };
}

/** A room list as the neutral model has it; undefined without an email address. */
export function roomListOf(place: GraphPlace): RoomList | undefined {
  const address = addressOf(place);
  if (address === undefined) return undefined;
  return { name: nameOf(place, address), address };
}

/** A room as the neutral model has it; undefined without an email address. */
export function roomOf(place: GraphPlace): Room | undefined {
  const address = addressOf(place);
  if (address === undefined) return undefined;
  const capacity = capacityOf(place.capacity);
  const accessible = place.isWheelChairAccessible ?? place.isWheelchairAccessible;
  return {
    name: nameOf(place, address),
    address,
    ...(capacity !== undefined ? { capacity } : {}),
    ...(typeof accessible === 'boolean' ? { wheelchairAccessible: accessible } : {}),
  };
}

function addressOf(place: GraphPlace): string | undefined {
  const address = typeof place.emailAddress === 'string' ? place.emailAddress.trim() : '';
  return address.includes('@') ? address : undefined;
}

function nameOf(place: GraphPlace, address: string): string {
  const name = typeof place.displayName === 'string' ? place.displayName.trim() : '';
  return name !== '' ? name : address;
}

/** 12, "12" or " 12 " -> 12; anything else (null, "", "twelve", -1, 1.5) -> undefined. */
function capacityOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
