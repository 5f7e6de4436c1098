import { isEwsRoute } from './ews-routes';

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
