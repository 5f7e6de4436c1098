import { TYPES_NS } from '../ews-namespaces';
import { childElement, type XmlElement } from '../xml/xml-element';

/**
 * The role account a client impersonates (t:ExchangeImpersonation/t:ConnectingSID), for the
 * audit log only: Google sends its configured "Exchange Role Account" here, and the relay never
 * requires it (docs/protocol.md section 2).
 */
export function impersonatedAccount(header: XmlElement | undefined): string | undefined {
  const sid =
    header &&
    childElement(
      childElement(header, TYPES_NS, 'ExchangeImpersonation') ?? header,
      TYPES_NS,
      'ConnectingSID',
    );
  if (sid === undefined) return undefined;
  for (const local of ['PrimarySmtpAddress', 'SmtpAddress', 'PrincipalName', 'SID']) {
    const value = childElement(sid, TYPES_NS, local)?.text.trim();
    if (value) return value;
  }
  return undefined;
}
