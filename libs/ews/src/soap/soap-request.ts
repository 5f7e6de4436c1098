import { EwsFault } from '../ews-fault';
import { SOAP12_ENVELOPE_NS, SOAP_ENVELOPE_NS, TYPES_NS } from '../ews-namespaces';
import { childElement, type XmlElement } from '../xml/xml-element';

/** A SOAP request reduced to what the EWS operations need. */
export interface SoapRequest {
  readonly header?: XmlElement;
  /** The first element child of Body: its local name is the operation. */
  readonly operation: XmlElement;
  /** t:RequestServerVersion@Version, when sent. */
  readonly requestedVersion?: string;
}

/**
 * Checks the envelope and finds the operation. Routing is on the local name of the Body's first
 * child, not on SOAPAction (optional, and sent inconsistently by clients).
 */
export function readSoapRequest(root: XmlElement): SoapRequest {
  if (
    root.local !== 'Envelope' ||
    (root.ns !== SOAP_ENVELOPE_NS && root.ns !== SOAP12_ENVELOPE_NS)
  ) {
    throw new EwsFault(
      'ErrorSchemaValidation',
      `The request is not a SOAP envelope (root element {${root.ns}}${root.local}).`,
    );
  }
  const header = childElement(root, root.ns, 'Header');
  const body = childElement(root, root.ns, 'Body');
  const operation = body?.children[0];
  if (operation === undefined) {
    throw new EwsFault('ErrorSchemaValidation', 'The SOAP Body contains no operation.');
  }
  const versionElement =
    header === undefined ? undefined : childElement(header, TYPES_NS, 'RequestServerVersion');
  const requestedVersion = versionElement?.attributes.get('Version')?.trim() || undefined;
  return { header, operation, requestedVersion };
}
