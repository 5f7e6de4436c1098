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

  it.each([
    ['temporarily_unavailable', 503, 'AADSTS90033: A transient error has occurred.'],
    ['temporarily_unavailable', 429, 'AADSTS90055: TenantThrottlingError'],
    ['server_error', 500, 'AADSTS90090: GraphRetryableError'],
    ['server_error', 500, "AADSTS50000: There's an issue with the sign-in service."],
  ])('reads %s / HTTP %i (%s) as transient, to be retried', (error, status, description) => {
    const failure = describeTokenFailure(
      new AuthenticationError(status, { error, error_description: description }),
    );
    expect(failure.rejected).toBe(false);
    expect(failure.detail).toMatch(/retried/);
  });

  it('reads a throttled or failing token endpoint as transient even without an error code', () => {
    expect(describeTokenFailure(new AuthenticationError(503, {})).rejected).toBe(false);
    expect(describeTokenFailure(new AuthenticationError(429, {})).rejected).toBe(false);
  });

  it('still reads invalid_client, unauthorized_client, invalid_scope and an unknown tenant as refusals', () => {
    for (const [error, status, description] of [
      ['invalid_client', 401, 'AADSTS7000215: Invalid client secret provided.'],
      ['unauthorized_client', 400, "AADSTS700016: Application with identifier 'x' was not found."],
      ['invalid_scope', 400, 'AADSTS1002012: The provided value for scope x is not valid.'],
      ['invalid_tenant', 400, 'AADSTS90002: Tenant not found.'],
    ] as const) {
      expect(
        describeTokenFailure(
          new AuthenticationError(status, { error, error_description: description }),
        ).rejected,
      ).toBe(true);
    }
  });
});
