export { DemoAvailabilityProvider } from './demo-availability.provider';
export { DEMO_MAILBOXES } from './demo-calendars';
export { DemoRoomDirectory } from './demo-room-directory';
export { DEMO_ROOM_LISTS, DEMO_ROOMS } from './demo-rooms';
