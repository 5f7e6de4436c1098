export * from './availability-model';
export { AvailabilityProvider } from './availability-provider';
export {
  AvailabilityError,
  UpstreamMisconfiguredError,
  UpstreamThrottledError,
  UpstreamUnavailableError,
} from './availability-errors';
export { domainOf, mailboxKey } from './mailbox-address';
export {
  isPlausibleAddress,
  mailboxPolicy,
  type MailboxPolicy,
  type MailboxPolicySettings,
  type MailboxVerdict,
  type PolicyCaller,
  type TenantRoute,
} from './mailbox-policy';
export {
  lookUpAvailability,
  withoutEventDetails,
  type AvailabilityLookup,
  type AvailabilityLookupResult,
} from './availability-lookup';
export { RoomDirectory, type Room, type RoomDirectoryQuery, type RoomList } from './room-directory';
export {
  lookUpRoomLists,
  lookUpRooms,
  type ConfiguredRoomList,
  type RoomListSettings,
  type RoomListsLookup,
  type RoomsLookup,
} from './room-lookup';
export { UpstreamObserver } from './upstream-observer';
export type { UpstreamCallResult } from './upstream-observer';
