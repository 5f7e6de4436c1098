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
 * A failed mailbox with a message safe to show the caller: it names the address and what went
 * wrong, never Graph's internals (request ids, tenant details) or anything from the calendar.
 */
export function failedMailbox(
  address: string,
  reason: MailboxFailureReason,
  detail?: string,
): FailedMailbox {
  return { address, outcome: 'failed', reason, message: messageFor(address, reason, detail) };
}

function messageFor(address: string, reason: MailboxFailureReason, detail?: string): string {
  switch (reason) {
    case 'recipientNotFound':
      // The text Exchange itself writes for ErrorMailRecipientNotFound (docs/protocol.md 5).
      return `Unable to resolve e-mail address ${address} to an Active Directory object.`;
    case 'accessDenied':
      return `The free/busy information of ${address} is not shared with this relay.`;
    case 'generationFailed':
      return `Microsoft Graph could not provide free/busy information for ${address}${detail ? ` (${detail})` : ''}.`;
    case 'timeout':
      return `Microsoft Graph did not answer for ${address} in time${detail ? ` (${detail})` : ''}.`;
  }
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
  return failedMailbox(address, reason, code !== undefined ? `response code ${code}` : undefined);
}

/**
 * The same result for another occurrence of the mailbox, spelled as that occurrence is
 * (duplicates in a query may differ in case). Messages written by `failedMailbox` name the
 * address exactly, so it is swapped in the message too.
 */
export function readdressed(result: MailboxAvailability, address: string): MailboxAvailability {
  if (result.address === address) return result;
  if (result.outcome === 'ok') return { ...result, address };
  return { ...result, address, message: result.message.split(result.address).join(address) };
}
