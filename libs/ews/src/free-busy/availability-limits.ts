/** Exchange Online's limits for GetUserAvailability (docs/protocol.md section 4). */
export const MAX_MAILBOXES = 100;
export const MAX_WINDOW_DAYS = 62;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 1440;
export const DEFAULT_INTERVAL_MINUTES = 30;
