import type {
  AvailabilityProvider,
  AvailabilityResult,
  MailboxAvailability,
} from '@app/availability';
import type { AvailabilityRequest } from './availability-request';

/** Something that could be an SMTP address: anything else cannot be on any calendar system. */
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function isPlausibleAddress(address: string): boolean {
  return address.length <= 320 && ADDRESS.test(address);
}

/**
 * Asks the provider for every plausible address and answers the rest as unknown recipients
 * without an upstream call. The result has one entry per requested mailbox, in order.
 * `outOfScope` addresses (the caller's policy forbids them) get exactly the answer of an
 * unknown address, so a caller learns nothing about whether they exist.
 */
export async function lookupMailboxes(
  provider: AvailabilityProvider,
  request: AvailabilityRequest,
  wantDetails: boolean,
  requestId: string | undefined,
  outOfScope: (address: string) => boolean = () => false,
): Promise<AvailabilityResult> {
  const lookupable = request.mailboxes.filter((a) => isPlausibleAddress(a) && !outOfScope(a));
  const answered =
    lookupable.length === 0
      ? { mailboxes: [] as MailboxAvailability[] }
      : await provider.lookup({
          mailboxes: lookupable,
          window: request.window,
          intervalMinutes: request.intervalMinutes,
          wantDetails,
          requestId,
        });
  if (answered.mailboxes.length !== lookupable.length) {
    throw new Error(
      `Availability provider "${provider.name}" answered ${answered.mailboxes.length} mailboxes for ${lookupable.length} asked`,
    );
  }
  let next = 0;
  const mailboxes = request.mailboxes.map((address): MailboxAvailability => {
    if (!isPlausibleAddress(address)) {
      return {
        address,
        outcome: 'failed',
        reason: 'recipientNotFound',
        message: `"${address}" is not an e-mail address.`,
      };
    }
    if (outOfScope(address)) {
      return {
        address,
        outcome: 'failed',
        reason: 'recipientNotFound',
        // Exchange's own text for ErrorMailRecipientNotFound, as for any unknown address.
        message: `Unable to resolve e-mail address ${address} to an Active Directory object.`,
      };
    }
    return answered.mailboxes[next++];
  });
  return { mailboxes, stats: answered.stats };
}
