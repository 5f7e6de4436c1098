import type { MailboxAvailability, MailboxFailureReason } from '@app/availability';
import type { GraphFreeBusyError } from './graph-schedule-wire';

type FailedMailbox = Extract<MailboxAvailability, { outcome: 'failed' }>;

/**
 * Graph's per-schedule `error` codes. 5009 and 5016 are the Availability service's "could not
 * resolve the address" codes; Graph writes the numeric code, and sometimes only the message
 * ("Unable to resolve e-mail address ... to an Active Directory object."). Only this failure may
 * reach exchangelib as a per-mailbox error without aborting its whole call (docs/protocol.md 5).
 */
const RECIPIENT_NOT_FOUND_CODES = new Set(['5009', '5016', 'errormailrecipientnotfound']);
const RECIPIENT_NOT_FOUND_TEXT = /unable to resolve|recipient (was )?not found/i;

/** The owner does not share free/busy with the app ("no free/busy access", "access denied"). */
const ACCESS_DENIED_CODES = new Set(['errornofreebusyaccess', 'erroraccessdenied', 'accessdenied']);
const ACCESS_DENIED_TEXT =
  /access (is )?denied|no free\s*\/?\s*busy access|not (allowed|permitted) to/i;

/** Why Graph could not read one mailbox, in the neutral vocabulary. */
export function reasonForScheduleError(error: GraphFreeBusyError): MailboxFailureReason {
  const code =
    typeof error.responseCode === 'string' || typeof error.responseCode === 'number'
      ? String(error.responseCode).trim().toLowerCase()
      : '';
  const message = typeof error.message === 'string' ? error.message : '';
  if (RECIPIENT_NOT_FOUND_CODES.has(code) || RECIPIENT_NOT_FOUND_TEXT.test(message)) {
    return 'recipientNotFound';
  }
  if (ACCESS_DENIED_CODES.has(code) || ACCESS_DENIED_TEXT.test(message)) return 'accessDenied';
  return 'generationFailed';
}

/**
 * A failed mailbox. The reason is what the EWS layer answers; the detail says what went wrong in
 * a few words safe to show the caller, never Graph's internals (request ids, tenant details) or
 * anything from the calendar.
 */
export function failedMailbox(
  address: string,
  reason: MailboxFailureReason,
  detail?: string,
): FailedMailbox {
  return detail === undefined
    ? { address, outcome: 'failed', reason }
    : { address, outcome: 'failed', reason, detail };
}

/** A per-schedule Graph error as the mailbox's result. */
export function failureFromScheduleError(
  address: string,
  error: GraphFreeBusyError,
): FailedMailbox {
  const reason = reasonForScheduleError(error);
  const code =
    typeof error.responseCode === 'string' || typeof error.responseCode === 'number'
      ? String(error.responseCode)
      : undefined;
  return failedMailbox(
    address,
    reason,
    code !== undefined ? `Microsoft Graph response code ${code}` : undefined,
  );
}
