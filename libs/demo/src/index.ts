export { DemoAvailabilityProvider } from './demo-availability.provider';
export { DEMO_MAILBOXES } from './demo-calendars';
