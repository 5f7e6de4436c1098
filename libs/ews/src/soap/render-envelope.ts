import { ERRORS_NS, MESSAGES_NS, SOAP_ENVELOPE_NS, TYPES_NS } from '../ews-namespaces';
import { escapeXmlAttribute, escapeXmlText } from '../xml/xml-escape';
import { DEFAULT_SERVER_VERSION } from './server-version';
import type { EwsFault } from '../ews-fault';

/**
 * The build the relay reports in ServerVersionInfo. exchangelib reads all four numbers (and
 * fails without them); 15.20 is the Exchange Online line.
 */
const SERVER_BUILD = { major: 15, minor: 20, majorBuild: 7452, minorBuild: 28 };

/**
 * Wraps a body in the SOAP envelope every answer carries, faults included: a ServerVersionInfo
 * header echoing the RequestServerVersion received. Compact on purpose: ews-javascript-api
 * misreads whitespace-only text nodes (docs/protocol.md section 3).
 */
export function renderEnvelope(bodyContent: string, requestedVersion: string | undefined): string {
  const version = escapeXmlAttribute(requestedVersion ?? DEFAULT_SERVER_VERSION);
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${SOAP_ENVELOPE_NS}" xmlns:m="${MESSAGES_NS}" xmlns:t="${TYPES_NS}">` +
    '<s:Header>' +
    `<t:ServerVersionInfo MajorVersion="${SERVER_BUILD.major}" MinorVersion="${SERVER_BUILD.minor}"` +
    ` MajorBuildNumber="${SERVER_BUILD.majorBuild}" MinorBuildNumber="${SERVER_BUILD.minorBuild}"` +
    ` Version="${version}"/>` +
    '</s:Header>' +
    `<s:Body>${bodyContent}</s:Body>` +
    '</s:Envelope>'
  );
}

/**
 * A request-level fault in the shape Exchange sends: faultcode in the types namespace, the
 * ResponseCode and Message in detail, and for throttling the BackOffMilliseconds hint that
 * clients (exchangelib, the EWS Managed API) honour.
 */
export function renderFault(fault: EwsFault, requestedVersion: string | undefined): string {
  const code = escapeXmlText(fault.responseCode);
  const message = escapeXmlText(fault.message);
  const backOff =
    fault.backOffMs !== undefined
      ? `<e:MessageXml><t:Value Name="BackOffMilliseconds">${Math.max(0, Math.round(fault.backOffMs))}</t:Value></e:MessageXml>`
      : '';
  return renderEnvelope(
    '<s:Fault>' +
      `<faultcode xmlns:a="${TYPES_NS}">a:${code}</faultcode>` +
      `<faultstring xml:lang="en-US">${message}</faultstring>` +
      `<detail xmlns:e="${ERRORS_NS}">` +
      `<e:ResponseCode>${code}</e:ResponseCode>` +
      `<e:Message>${message}</e:Message>` +
      backOff +
      '</detail>' +
      '</s:Fault>',
    requestedVersion,
  );
}
