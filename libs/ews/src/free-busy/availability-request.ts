import type { UtcWindow } from '@app/availability';
import type { RequesterZone } from '@app/time-zones';
import type { RequestedView } from './requested-view';

/** A validated GetUserAvailabilityRequest, protocol-neutral except for the view vocabulary. */
export interface AvailabilityRequest {
  /** Addresses in request order, duplicates kept, as sent (trimmed). */
  readonly mailboxes: readonly string[];
  readonly window: UtcWindow;
  readonly intervalMinutes: number;
  readonly requestedView: RequestedView;
  /** The zone response times are written in. */
  readonly zone: RequesterZone;
  /** Whether FreeBusyViewOptions was sent (a suggestions-only request has none). */
  readonly freeBusyRequested: boolean;
  /** Whether SuggestionsViewOptions was sent: the response must then carry a SuggestionsResponse. */
  readonly suggestionsRequested: boolean;
}
