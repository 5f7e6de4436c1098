export * from './availability-model';
export { AvailabilityProvider } from './availability-provider';
export {
  AvailabilityError,
  UpstreamMisconfiguredError,
  UpstreamThrottledError,
  UpstreamUnavailableError,
} from './availability-errors';
export { domainOf, mailboxKey } from './mailbox-address';
export { UpstreamObserver } from './upstream-observer';
export type { UpstreamCallResult } from './upstream-observer';
