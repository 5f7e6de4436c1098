import { DEMO_MAILBOXES } from './demo-calendars';
import { DemoRoomDirectory } from './demo-room-directory';
import { DEMO_ROOMS } from './demo-rooms';

describe('DemoRoomDirectory', () => {
  const rooms = new DemoRoomDirectory();
  const contoso = { tenant: 'contoso' };

  it('has two room lists and the rooms of each for the contoso tenant, none for others', async () => {
    expect(await rooms.roomLists(contoso)).toEqual([
      { name: 'Building 1 rooms', address: 'rooms.building1@contoso.com' },
      { name: 'Building 2 rooms', address: 'rooms.building2@contoso.com' },
    ]);
    expect(
      (await rooms.roomsOf(contoso, 'Rooms.Building1@contoso.com'))?.map((r) => r.name),
    ).toEqual(['Boardroom', 'Huddle room']);
    expect(await rooms.roomsOf(contoso, 'rooms.building9@contoso.com')).toBeUndefined();
    expect(await rooms.roomLists({ tenant: 'fabrikam' })).toEqual([]);
  });

  it('lists every room, the one in no list too, each with a calendar', async () => {
    const all = await rooms.allRooms(contoso);
    expect(all.map((r) => r.address)).toContain('room.lab@contoso.com');
    const calendars = new Set(DEMO_MAILBOXES.map((m) => m.address));
    expect(DEMO_ROOMS.every((r) => calendars.has(r.address))).toBe(true);
  });
});
