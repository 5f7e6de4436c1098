import { AuthenticationError, AuthenticationRequiredError } from '@azure/identity';
import { describeTokenFailure } from './entra-token-failure';

describe('describeTokenFailure', () => {
  it('reads a refused client secret as a refusal, naming the code and no secret', () => {
    // What @azure/identity 4.13 throws when Entra answers 401 invalid_client.
    const error = new AuthenticationRequiredError({
      scopes: ['https://graph.microsoft.com/.default'],
      message:
        "invalid_client: Error(s): 7000215 - Description: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'abc'.",
    });
    const failure = describeTokenFailure(error);
    expect(failure.rejected).toBe(true);
    expect(failure.detail).toContain('invalid_client');
    expect(failure.detail).toContain('GRAPH_CLIENT_SECRET');
    expect(failure.detail).not.toContain('AADSTS7000215: Invalid');
  });

  it('reads an OAuth error status from the token endpoint as a refusal', () => {
    expect(
      describeTokenFailure(
        new AuthenticationError(401, { error: 'invalid_client', error_description: 'x' }),
      ).rejected,
    ).toBe(true);
  });

  it('reads an unreachable Entra or metadata failure as something that may pass', () => {
    const failure = describeTokenFailure(
      new Error(
        'endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details',
      ),
    );
    expect(failure).toEqual({
      rejected: false,
      detail: expect.stringContaining('GRAPH_AUTHORITY'),
    });
    expect(describeTokenFailure(new Error('network_error: connect ECONNREFUSED')).rejected).toBe(
      false,
    );
  });
});
