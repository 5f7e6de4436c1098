import { ewsRequestOutcomeOf } from './ews-request-outcome';

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
