import { ewsRequestOutcomeOf, isEwsRoute } from './ews-request-outcome';

describe('ewsRequestOutcomeOf', () => {
  it.each([
    [200, 'ok'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [500, 'fault'],
    [413, 'rejected'],
    [415, 'rejected'],
    [502, 'error'],
  ])('labels HTTP %i as %s', (status, label) => {
    expect(ewsRequestOutcomeOf(status)).toBe(label);
  });
});

describe('isEwsRoute', () => {
  it('knows both EWS paths in any case, for POST only', () => {
    expect(isEwsRoute('POST', '/')).toBe(true);
    expect(isEwsRoute('POST', '/EWS/Exchange.asmx')).toBe(true);
    expect(isEwsRoute('POST', '/ews/exchange.asmx')).toBe(true);
    expect(isEwsRoute('GET', '/')).toBe(false);
    expect(isEwsRoute('POST', '/token')).toBe(false);
    expect(isEwsRoute('GET', '/metrics')).toBe(false);
    expect(isEwsRoute('POST', undefined)).toBe(false);
  });
});
