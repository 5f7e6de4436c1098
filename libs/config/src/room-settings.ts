import { z } from 'zod';
import { integer, optionalText } from './schema-fields';

/**
 * The room directory's keys (GetRoomLists, GetRooms; docs/protocol.md section 9):
 *
 * - ROOMS_CACHE_TTL_SECONDS: how long room lists and rooms read from Graph places are kept
 *   (an hour: Places itself lags Exchange by hours);
 * - ALL_ROOMS_LIST_ADDRESS, ALL_ROOMS_LIST_NAME: a synthetic room list of every room of the
 *   tenant its address routes to, for tenants without room lists (EWS clients see no room that
 *   is in no list); off unless the address is set;
 * - ROOM_LISTS: room lists written out, for the national clouds, where Graph has no places:
 *   `Name <list@domain>: Room name <room@domain>, room@domain; Next list <...>: ...`.
 */

export interface RoomEntrySettings {
  readonly name: string;
  readonly address: string;
}

export interface ConfiguredRoomListSettings extends RoomEntrySettings {
  readonly rooms: readonly RoomEntrySettings[];
}

export interface RoomSettings {
  readonly cacheTtlSeconds: number;
  readonly allRoomsList?: RoomEntrySettings;
  readonly configuredLists: readonly ConfiguredRoomListSettings[];
}

const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

function isEmailAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  return at > 0 && /^[^\s@,;:<>"]+$/.test(s.slice(0, at)) && DOMAIN.test(s.slice(at + 1));
}

/** `Name <address>` or a bare address; undefined when neither. */
function entryOf(text: string): RoomEntrySettings | undefined {
  const s = text.trim();
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(s);
  const name = named ? named[1].trim() : '';
  const address = (named ? named[2] : s).trim();
  if (!isEmailAddress(address) || /[<>]/.test(name)) return undefined;
  return { name: name === '' ? address : name, address };
}

export const roomCacheTtlSetting = integer(
  'how long room lists and rooms from Graph places are cached, in seconds; 0 disables',
  0,
  86400,
  3600,
);

export const allRoomsAddressSetting = optionalText.transform((v, ctx) => {
  if (v === undefined) return undefined;
  if (!isEmailAddress(v)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be one email address such as all-rooms@contoso.com (the address EWS clients name the all-rooms list by)',
    });
    return z.NEVER;
  }
  return v;
});

export const allRoomsNameSetting = optionalText.transform((v) => v ?? 'All rooms');

export const roomListsSetting = optionalText.transform(
  (v, ctx): readonly ConfiguredRoomListSettings[] => {
    if (v === undefined) return [];
    const lists: ConfiguredRoomListSettings[] = [];
    const problem = (message: string) => {
      ctx.addIssue({
        code: 'custom',
        message: `${message} (the form is "Name <list@domain>: Room <room@domain>, room@domain; Next list <...>: ...")`,
      });
      return z.NEVER;
    };
    for (const part of v.split(';')) {
      if (part.trim() === '') continue;
      const colon = part.indexOf(':');
      if (colon < 0) return problem(`"${part.trim()}" has no ":" before its rooms`);
      const list = entryOf(part.slice(0, colon));
      if (list === undefined) {
        return problem(`"${part.slice(0, colon).trim()}" is not a list's address`);
      }
      if (lists.some((l) => l.address.toLowerCase() === list.address.toLowerCase())) {
        return problem(`${list.address} is listed twice`);
      }
      const rooms: RoomEntrySettings[] = [];
      for (const text of part.slice(colon + 1).split(',')) {
        if (text.trim() === '') continue;
        const room = entryOf(text);
        if (room === undefined) return problem(`"${text.trim()}" is not a room's address`);
        rooms.push(room);
      }
      lists.push({ ...list, rooms });
    }
    return lists;
  },
);
