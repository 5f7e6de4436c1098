import type { AvailabilityError } from '@app/availability';
import { EwsFault } from '../ews-fault';

/**
 * A room directory's request-level failure as the SOAP fault the caller sees (the codes of
 * free-busy/upstream-fault.ts, worded for rooms). A missing Place.Read.All is not one of them:
 * the directory answers it as a tenant without room lists.
 */
export function faultForRoomDirectoryError(error: AvailabilityError): EwsFault {
  switch (error.kind) {
    case 'misconfigured':
      return new EwsFault(
        'ErrorInternalServerError',
        'The relay cannot read the room directory; its administrator must check the relay logs.',
        'Server',
      );
    case 'throttled':
      return new EwsFault(
        'ErrorServerBusy',
        'The server is busy. Try again later.',
        'Server',
        (error as AvailabilityError & { backOffMs: number }).backOffMs,
      );
    case 'unavailable':
      return new EwsFault(
        'ErrorInternalServerTransientError',
        'The room directory is temporarily unavailable. Try again later.',
        'Server',
      );
  }
}
