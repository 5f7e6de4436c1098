import type { Room, RoomList } from '@app/availability';

/**
 * The demo tenant's rooms and room lists (GetRoomLists, GetRooms). Every room is a mailbox of
 * demo-calendars.ts with a week of bookings, so a room's free/busy is answered like anyone's.
 * The lab is in no list: an EWS client sees it only in the all-rooms list
 * (ALL_ROOMS_LIST_ADDRESS).
 */
export const DEMO_ROOMS: readonly Room[] = [
  { name: 'Boardroom', address: 'room.boardroom@contoso.com', capacity: 16 },
  { name: 'Huddle room', address: 'room.huddle@contoso.com', capacity: 4 },
  {
    name: 'Training room',
    address: 'room.training@contoso.com',
    capacity: 30,
    wheelchairAccessible: true,
  },
  { name: 'Hardware lab', address: 'room.lab@contoso.com', capacity: 8 },
];

export const DEMO_ROOM_LISTS: readonly (RoomList & { readonly rooms: readonly string[] })[] = [
  {
    name: 'Building 1 rooms',
    address: 'rooms.building1@contoso.com',
    rooms: ['room.boardroom@contoso.com', 'room.huddle@contoso.com'],
  },
  {
    name: 'Building 2 rooms',
    address: 'rooms.building2@contoso.com',
    rooms: ['room.training@contoso.com'],
  },
];
