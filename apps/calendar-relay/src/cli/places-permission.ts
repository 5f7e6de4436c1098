import type { GraphScheduleClient } from '@app/graph';

export type PlacesCallOutcome = Awaited<ReturnType<GraphScheduleClient['getPlaces']>>;

/**
 * What one places call proves about the relay's Entra app (GetRoomLists, GetRooms). Pure. The
 * room directory is optional: without Place.Read.All the relay still serves free/busy and
 * answers as a tenant without room lists, so a refusal is a warning naming the permission.
 */
export type PlacesVerdict =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly warning: string };

export function judgePlacesCall(outcome: PlacesCallOutcome): PlacesVerdict {
  switch (outcome.kind) {
    case 'page': {
      const lists = outcome.places.length;
      return {
        ok: true,
        detail: `room directory (Graph places, Place.Read.All) works: ${lists === 0 ? 'no room lists' : `${lists}${outcome.nextLink !== undefined ? '+' : ''} room list${lists === 1 ? '' : 's'}`}`,
      };
    }
    case 'httpError': {
      const said = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}`;
      if (outcome.status === 403) {
        return {
          ok: false,
          warning: `Microsoft Graph refused the room directory (${said}): grant the app the Place.Read.All application permission with admin consent, or GetRoomLists answers no room lists (free/busy is not affected)`,
        };
      }
      return { ok: false, warning: `Microsoft Graph places answered ${said}` };
    }
    case 'tokenFailed':
      return { ok: false, warning: `no Graph token for places: ${outcome.detail}` };
    case 'network':
      return {
        ok: false,
        warning: `Microsoft Graph places could not be reached: ${outcome.detail}`,
      };
    case 'unreadable':
      return {
        ok: false,
        warning: `Microsoft Graph places' answer was unreadable: ${outcome.detail}`,
      };
    case 'aborted':
      return { ok: false, warning: 'Microsoft Graph places did not answer in time' };
  }
}
