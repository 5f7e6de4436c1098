import { isProbeOrScrape, pathForLog } from './logger.options';

describe('request log filtering', () => {
  it('leaves probes and scrapes out of the request log, and nothing else', () => {
    for (const url of [
      '/health/live',
      '/health/ready',
      '/health-check',
      '/metrics',
      '/metrics?x=1',
    ]) {
      expect(isProbeOrScrape(url)).toBe(true);
    }
    for (const url of ['/', '/EWS/Exchange.asmx', '/token', '/metricsx', undefined]) {
      expect(isProbeOrScrape(url)).toBe(false);
    }
  });

  it('never logs a query string, where a careless client may put its client_secret', () => {
    expect(pathForLog('/token?client_id=g&client_secret=s3cret')).toBe('/token?[redacted]');
    expect(pathForLog('/EWS/Exchange.asmx')).toBe('/EWS/Exchange.asmx');
  });
});
