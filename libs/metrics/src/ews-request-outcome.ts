import type { EwsOperation } from '@app/request-context';

/**
 * The outcome label of one EWS HTTP request, from its status: a small fixed set, so a metric
 * never grows a series per odd status. What each means to an admin:
 * - `ok`: 200, the client got an answer (per-mailbox errors are counted by mailbox code);
 * - `unauthorized`: 401, no or a bad bearer token (Google: refresh the token, check secret);
 * - `forbidden`: 403, refused by IP_ALLOWLIST;
 * - `fault`: 500 with a SOAP fault (bad request, upstream failure, unknown operation);
 * - `rejected`: any other 4xx (body too large, wrong method);
 * - `error`: any other status.
 */
export type EwsRequestOutcome =
  'ok' | 'unauthorized' | 'forbidden' | 'fault' | 'rejected' | 'error';

export function ewsRequestOutcomeOf(statusCode: number): EwsRequestOutcome {
  if (statusCode >= 200 && statusCode < 300) return 'ok';
  if (statusCode === 401) return 'unauthorized';
  if (statusCode === 403) return 'forbidden';
  if (statusCode === 500) return 'fault';
  if (statusCode >= 400 && statusCode < 500) return 'rejected';
  return 'error';
}

/** EWS operations counted by name; everything else is `other`. */
export type EwsOperationLabel = EwsOperation | 'other';
