import { timeZoneDefinitionFor, windowsZoneIds } from '@app/time-zones';
import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { childElement, childElements, type XmlElement } from '../xml/xml-element';
import { escapeXmlText } from '../xml/xml-escape';
import { renderTimeZoneDefinition } from './render-time-zone-definition';

/**
 * m:GetServerTimeZones: exchangelib calls it before GetUserAvailability to learn the rules of
 * the zone it then sends in the body. Answers all known Windows zones, or the requested Ids;
 * an unknown Id gets an error response message (as Exchange does) rather than failing the call.
 */
export function answerGetServerTimeZones(operation: XmlElement, now: Date): string {
  const full =
    (operation.attributes.get('ReturnFullTimeZoneData') ?? 'true').trim().toLowerCase() !== 'false';
  const idsElement = childElement(operation, MESSAGES_NS, 'Ids');
  const ids = idsElement
    ? childElements(idsElement, TYPES_NS, 'Id').map((id) => id.text.trim())
    : windowsZoneIds();
  const year = now.getUTCFullYear();

  const definitions: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const definition = timeZoneDefinitionFor(id, year);
    if (definition === undefined) unknown.push(id);
    else definitions.push(renderTimeZoneDefinition(definition, full));
  }

  if (unknown.length > 0) {
    return (
      '<m:GetServerTimeZonesResponse><m:ResponseMessages>' +
      '<m:GetServerTimeZonesResponseMessage ResponseClass="Error">' +
      `<m:MessageText>${escapeXmlText(`Unknown time zone id: ${unknown.join(', ')}`)}</m:MessageText>` +
      '<m:ResponseCode>ErrorTimeZone</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
      '</m:GetServerTimeZonesResponseMessage></m:ResponseMessages></m:GetServerTimeZonesResponse>'
    );
  }
  return (
    '<m:GetServerTimeZonesResponse><m:ResponseMessages>' +
    '<m:GetServerTimeZonesResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
    `<m:TimeZoneDefinitions>${definitions.join('')}</m:TimeZoneDefinitions>` +
    '</m:GetServerTimeZonesResponseMessage></m:ResponseMessages></m:GetServerTimeZonesResponse>'
  );
}
