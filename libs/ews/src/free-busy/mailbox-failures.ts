import type { MailboxFailureReason } from '@app/availability';

/**
 * The one table of per-mailbox failures: for each neutral reason a provider gives, the EWS
 * ResponseCode the client gets, Exchange's wording of the MessageText, and the MessageXml
 * exception Exchange adds (docs/protocol.md section 5). The renderer writes answers from it; the
 * audit line and the metrics count the same codes.
 */
export interface MailboxFailureAnswer {
  readonly responseCode: string;
  /** MessageXml exception details, as Exchange sends them for an unknown recipient. */
  readonly exception?: { readonly type: string; readonly code: number };
  /** The MessageText for this address; `detail` is the provider's few safe words, if any. */
  readonly text: (address: string, detail: string | undefined) => string;
}

const because = (detail: string | undefined) => (detail !== undefined ? ` (${detail})` : '');

export const MAILBOX_FAILURES: Readonly<Record<MailboxFailureReason, MailboxFailureAnswer>> = {
  // The only per-mailbox code exchangelib tolerates, and what Google shows as "Invalid attendee".
  // The text is Exchange's own, whatever the provider said: a caller learns nothing more about
  // an address the relay will not answer for than about one that does not exist.
  recipientNotFound: {
    responseCode: 'ErrorMailRecipientNotFound',
    exception: {
      type: 'Microsoft.Exchange.InfoWorker.Common.Availability.MailRecipientNotFoundException',
      code: 5009,
    },
    text: (address) => `Unable to resolve e-mail address ${address} to an Active Directory object.`,
  },
  accessDenied: {
    responseCode: 'ErrorNoFreeBusyAccess',
    text: (address, detail) =>
      `The free/busy information of ${address} is not shared with this relay${because(detail)}.`,
  },
  generationFailed: {
    responseCode: 'ErrorFreeBusyGenerationFailed',
    text: (address, detail) =>
      `The free/busy information of ${address} could not be generated${because(detail)}.`,
  },
  timeout: {
    responseCode: 'ErrorProxyRequestProcessingFailed',
    text: (address, detail) =>
      `The free/busy information of ${address} did not arrive in time${because(detail)}.`,
  },
};
