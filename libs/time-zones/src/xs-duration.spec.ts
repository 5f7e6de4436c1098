import { parseXsDurationMinutes } from './xs-duration';

describe('parseXsDurationMinutes', () => {
  it.each([
    ['PT8H', 480],
    ['-PT1H', -60],
    ['P0DT8H0M0.0S', 480],
    ['-P0DT1H0M0.0S', -60],
    ['PT5H30M', 330],
    ['-PT5H30M', -330],
    ['PT0H', 0],
    ['-PT0S', 0],
    ['P1D', 1440],
    ['PT30S', 0.5],
    ['P0Y0M0DT2H', 120],
    [' PT2H ', 120],
  ])('%s is %d minutes', (text, minutes) => {
    expect(parseXsDurationMinutes(text)).toBe(minutes);
  });

  it.each([
    ['empty', ''],
    ['P alone', 'P'],
    ['T without a time part', 'PT'],
    ['a trailing T', 'P1DT'],
    ['no P', 'T8H'],
    ['hours without T', 'P8H'],
    ['a plain number', '480'],
    ['months (no fixed length)', 'P1M'],
    ['years (no fixed length)', 'P1Y'],
    ['a fractional hour', 'PT1.5H'],
    ['misordered parts', 'PT30M8H'],
  ])('rejects %s', (_why, text) => {
    expect(parseXsDurationMinutes(text)).toBeUndefined();
  });
});
