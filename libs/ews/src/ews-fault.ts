/**
 * A request-level EWS failure: answered as HTTP 500 with a soap:Fault whose detail carries the
 * EWS ResponseCode (docs/protocol.md section 5). Per-mailbox problems are never faults.
 */
export class EwsFault extends Error {
  constructor(
    /** An EWS ResponseCode, e.g. ErrorTimeIntervalTooBig. */
    readonly responseCode: string,
    message: string,
    /** Whose fault: the request (Client) or the relay/upstream (Server). */
    readonly side: 'Client' | 'Server' = 'Client',
    /** For ErrorServerBusy: how long the caller should wait before retrying. */
    readonly backOffMs?: number,
  ) {
    super(message);
    this.name = 'EwsFault';
  }
}
