import { MESSAGES_NS, TYPES_NS } from '../ews-namespaces';
import { renderEnvelope } from '../soap/render-envelope';
import { readSoapRequest } from '../soap/soap-request';
import { parseXmlDocument } from '../xml/parse-xml-document';
import { childElement, childElements, childText, type XmlElement } from '../xml/xml-element';
import { answerGetServerTimeZones } from './get-server-time-zones';

const NS =
  'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"';

async function ask(ids: string[] | undefined, full = true): Promise<XmlElement> {
  const idsXml =
    ids === undefined ? '' : `<m:Ids>${ids.map((id) => `<t:Id>${id}</t:Id>`).join('')}</m:Ids>`;
  const request = `<s:Envelope ${NS}><s:Body><m:GetServerTimeZones ReturnFullTimeZoneData="${full}">${idsXml}</m:GetServerTimeZones></s:Body></s:Envelope>`;
  const soap = readSoapRequest(await parseXmlDocument(request));
  const answer = answerGetServerTimeZones(soap.operation, new Date('2026-06-01T00:00:00Z'));
  const envelope = await parseXmlDocument(renderEnvelope(answer, 'Exchange2016'));
  const response = envelope.children[1].children[0];
  return childElement(
    childElement(response, MESSAGES_NS, 'ResponseMessages')!,
    MESSAGES_NS,
    'GetServerTimeZonesResponseMessage',
  )!;
}

function definitions(message: XmlElement): XmlElement[] {
  return childElements(
    childElement(message, MESSAGES_NS, 'TimeZoneDefinitions')!,
    TYPES_NS,
    'TimeZoneDefinition',
  );
}

describe('answerGetServerTimeZones', () => {
  it('answers the requested id with Standard/Daylight periods and recurring transitions (exchangelib)', async () => {
    const message = await ask(['Romance Standard Time']);
    expect(message.attributes.get('ResponseClass')).toBe('Success');
    const [definition] = definitions(message);
    expect(definition.attributes.get('Id')).toBe('Romance Standard Time');
    const periods = childElements(
      childElement(definition, TYPES_NS, 'Periods')!,
      TYPES_NS,
      'Period',
    );
    expect(periods.map((p) => [p.attributes.get('Name'), p.attributes.get('Bias')])).toEqual([
      ['Standard', '-PT1H'],
      ['Daylight', '-PT2H'],
    ]);
    const group = childElement(
      childElement(definition, TYPES_NS, 'TransitionsGroups')!,
      TYPES_NS,
      'TransitionsGroup',
    )!;
    const rules = childElements(group, TYPES_NS, 'RecurringDayTransition').map((t) => ({
      to: childText(t, TYPES_NS, 'To'),
      offset: childText(t, TYPES_NS, 'TimeOffset'),
      month: childText(t, TYPES_NS, 'Month'),
      day: childText(t, TYPES_NS, 'DayOfWeek'),
      occurrence: childText(t, TYPES_NS, 'Occurrence'),
    }));
    expect(rules).toEqual([
      { to: 'Dlt', offset: 'PT2H', month: '3', day: 'Sunday', occurrence: '-1' },
      { to: 'Std', offset: 'PT3H', month: '10', day: 'Sunday', occurrence: '-1' },
    ]);
    const transitions = childElement(definition, TYPES_NS, 'Transitions')!;
    expect(childText(childElement(transitions, TYPES_NS, 'Transition')!, TYPES_NS, 'To')).toBe('0');
  });

  it('gives a zone without daylight time a single transition to the standard period', async () => {
    const [india] = definitions(await ask(['India Standard Time']));
    const periods = childElements(childElement(india, TYPES_NS, 'Periods')!, TYPES_NS, 'Period');
    expect(periods.map((p) => p.attributes.get('Bias'))).toEqual(['-PT5H30M']);
    const group = childElement(
      childElement(india, TYPES_NS, 'TransitionsGroups')!,
      TYPES_NS,
      'TransitionsGroup',
    )!;
    expect(group.children.map((c) => c.local)).toEqual(['Transition']);
  });

  it('lists every known zone when no ids are given', async () => {
    const all = definitions(await ask(undefined, false));
    expect(all.length).toBeGreaterThan(100);
    expect(all.map((d) => d.attributes.get('Id'))).toContain('Pacific Standard Time');
    expect(all[0].children).toHaveLength(0);
  });

  it('answers an unknown id with an ErrorTimeZone response message, not a fault', async () => {
    const message = await ask(['Mars Standard Time']);
    expect(message.attributes.get('ResponseClass')).toBe('Error');
    expect(childText(message, MESSAGES_NS, 'ResponseCode')).toBe('ErrorTimeZone');
    expect(childText(message, MESSAGES_NS, 'MessageText')).toContain('Mars Standard Time');
  });
});
