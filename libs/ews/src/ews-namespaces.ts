/**
 * The namespaces EWS uses (docs/protocol.md section 3). Always the http:// forms: some Microsoft
 * samples carry https:// typos that no client accepts.
 */
export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.2, which some clients send with application/soap+xml. */
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const MESSAGES_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const TYPES_NS = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const ERRORS_NS = 'http://schemas.microsoft.com/exchange/services/2006/errors';
