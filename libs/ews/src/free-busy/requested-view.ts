/** t:RequestedView / t:FreeBusyViewType values (EWS FreeBusyViewType, minus the legacy ones). */
export const REQUESTED_VIEWS = [
  'None',
  'MergedOnly',
  'FreeBusy',
  'FreeBusyMerged',
  'Detailed',
  'DetailedMerged',
] as const;

export type RequestedView = (typeof REQUESTED_VIEWS)[number];

/** The .NET client's default when a request names no view. */
export const DEFAULT_REQUESTED_VIEW: RequestedView = 'Detailed';

export function isRequestedView(value: string): value is RequestedView {
  return (REQUESTED_VIEWS as readonly string[]).includes(value);
}

export function viewIncludesMerged(view: RequestedView): boolean {
  return view === 'MergedOnly' || view === 'FreeBusyMerged' || view === 'DetailedMerged';
}

export function viewIncludesEvents(view: RequestedView): boolean {
  return (
    view === 'FreeBusy' ||
    view === 'FreeBusyMerged' ||
    view === 'Detailed' ||
    view === 'DetailedMerged'
  );
}

export function viewAsksForDetails(view: RequestedView): boolean {
  return view === 'Detailed' || view === 'DetailedMerged';
}

/**
 * The view actually returned: a Detailed request answered without details (the relay's policy
 * forbids them) is reported as the matching FreeBusy view, as Exchange does for a requester
 * with free/busy-only rights, so clients don't look for details that are not there.
 */
export function effectiveView(requested: RequestedView, detailsAllowed: boolean): RequestedView {
  if (detailsAllowed) return requested;
  if (requested === 'Detailed') return 'FreeBusy';
  if (requested === 'DetailedMerged') return 'FreeBusyMerged';
  return requested;
}
