import type { AvailabilityError } from '@app/availability';
import { EwsFault } from '../ews-fault';

/**
 * A provider's request-level failure as the SOAP fault the caller sees. None of these is the
 * caller's fault, so all are Server faults; the text says what happened without internals.
 */
export function faultForUpstreamError(error: AvailabilityError): EwsFault {
  switch (error.kind) {
    case 'misconfigured':
      return new EwsFault(
        'ErrorInternalServerError',
        'The relay is not authorized to read free/busy information; its administrator must check the relay logs.',
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
        'Free/busy information is temporarily unavailable. Try again later.',
        'Server',
      );
  }
}
