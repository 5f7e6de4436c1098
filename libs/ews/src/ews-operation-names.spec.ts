import { MESSAGES_NS, TYPES_NS } from './ews-namespaces';
import { ewsOperationLabel } from './ews-operation-names';

describe('ewsOperationLabel', () => {
  it("names an EWS operation by Microsoft's name, with or without the Request suffix", () => {
    expect(ewsOperationLabel(MESSAGES_NS, 'FindItem')).toBe('FindItem');
    expect(ewsOperationLabel(MESSAGES_NS, 'GetUserOofSettingsRequest')).toBe('GetUserOofSettings');
    expect(ewsOperationLabel(MESSAGES_NS, 'ResolveNames')).toBe('ResolveNames');
  });

  it('calls anything else unknown, so the label stays a bounded set', () => {
    expect(ewsOperationLabel(MESSAGES_NS, 'MadeUpOperation1234')).toBe('unknown');
    expect(ewsOperationLabel(MESSAGES_NS, 'Request')).toBe('unknown');
    expect(ewsOperationLabel(TYPES_NS, 'FindItem')).toBe('unknown');
    expect(ewsOperationLabel('urn:evil', 'GetRooms')).toBe('unknown');
  });
});
