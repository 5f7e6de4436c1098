import { EwsFault } from '../ews-fault';
import { ERRORS_NS, SOAP_ENVELOPE_NS, TYPES_NS } from '../ews-namespaces';
import { parseXmlDocument } from '../xml/parse-xml-document';
import { childElement, childText } from '../xml/xml-element';
import { renderEnvelope, renderFault } from './render-envelope';

describe('renderEnvelope', () => {
  it('echoes the requested version with the four numbers exchangelib needs', async () => {
    const doc = await parseXmlDocument(renderEnvelope('', 'Exchange2010_SP2'));
    const info = childElement(
      childElement(doc, SOAP_ENVELOPE_NS, 'Header')!,
      TYPES_NS,
      'ServerVersionInfo',
    )!;
    expect(info.attributes.get('Version')).toBe('Exchange2010_SP2');
    for (const name of ['MajorVersion', 'MinorVersion', 'MajorBuildNumber', 'MinorBuildNumber']) {
      expect(info.attributes.get(name)).toMatch(/^\d+$/);
    }
  });

  it('defaults the version to Exchange2016 when the request named none', () => {
    const xml = renderEnvelope('', undefined);
    expect(xml).toContain('Version="Exchange2016"');
  });
});

describe('renderFault', () => {
  it('writes the EWS response code in faultcode and detail', async () => {
    const doc = await parseXmlDocument(
      renderFault(new EwsFault('ErrorTimeIntervalTooBig', 'Too <long>.'), 'Exchange2013'),
    );
    const fault = childElement(
      childElement(doc, SOAP_ENVELOPE_NS, 'Body')!,
      SOAP_ENVELOPE_NS,
      'Fault',
    )!;
    expect(fault.children.find((c) => c.local === 'faultcode')!.text).toBe(
      'a:ErrorTimeIntervalTooBig',
    );
    expect(fault.children.find((c) => c.local === 'faultstring')!.text).toBe('Too <long>.');
    const detail = fault.children.find((c) => c.local === 'detail')!;
    expect(childText(detail, ERRORS_NS, 'ResponseCode')).toBe('ErrorTimeIntervalTooBig');
    expect(childText(detail, ERRORS_NS, 'Message')).toBe('Too <long>.');
  });

  it('carries BackOffMilliseconds for throttling', async () => {
    const doc = await parseXmlDocument(
      renderFault(new EwsFault('ErrorServerBusy', 'Busy.', 'Server', 2500), undefined),
    );
    const fault = childElement(
      childElement(doc, SOAP_ENVELOPE_NS, 'Body')!,
      SOAP_ENVELOPE_NS,
      'Fault',
    )!;
    const detail = fault.children.find((c) => c.local === 'detail')!;
    const value = childElement(childElement(detail, ERRORS_NS, 'MessageXml')!, TYPES_NS, 'Value')!;
    expect(value.attributes.get('Name')).toBe('BackOffMilliseconds');
    expect(value.text).toBe('2500');
  });
});
