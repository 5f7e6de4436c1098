import { toVaultRequestError } from './node-vault.api';

/** node-vault's ApiResponseError has this shape; axios errors carry a code. */
function apiResponseError(message: string, statusCode: number): Error {
  return Object.assign(new Error(message), { response: { statusCode, body: {} } });
}

describe('toVaultRequestError', () => {
  const request = 'GET /v1/secret/data/calendar-relay';

  it("keeps Vault's own reason, on one line without the multierror decoration", () => {
    expect(
      toVaultRequestError(
        request,
        apiResponseError('1 error occurred:\n\t* permission denied\n\n', 403),
        1000,
      ).message,
    ).toBe('GET /v1/secret/data/calendar-relay: HTTP 403 permission denied');
    expect(
      toVaultRequestError(
        request,
        apiResponseError('2 errors occurred:\n\t* first\n\t* second\n\n', 400),
        1000,
      ).reason,
    ).toBe('first; second');
  });

  it('names the status when Vault gave no reason', () => {
    expect(toVaultRequestError(request, apiResponseError('Status 404', 404), 1000).message).toBe(
      'GET /v1/secret/data/calendar-relay: HTTP 404 not found',
    );
    expect(toVaultRequestError(request, apiResponseError('Status 503', 503), 1000).status).toBe(
      503,
    );
  });

  it('describes network failures without a status', () => {
    const e = (code: string) => Object.assign(new Error('x'), { code });
    expect(toVaultRequestError(request, e('ECONNREFUSED'), 1000).message).toBe(
      'GET /v1/secret/data/calendar-relay: connection refused',
    );
    expect(toVaultRequestError(request, e('ECONNABORTED'), 2500).reason).toBe(
      'no answer within 2500 ms',
    );
    expect(toVaultRequestError(request, e('ENOTFOUND'), 1000).reason).toBe('host not found');
    expect(toVaultRequestError(request, e('SELF_SIGNED_CERT_IN_CHAIN'), 1000).reason).toBe(
      "TLS failed (SELF_SIGNED_CERT_IN_CHAIN); VAULT_CACERT must name the CA of Vault's certificate",
    );
    expect(toVaultRequestError(request, e('ECONNREFUSED'), 1000).status).toBeUndefined();
  });
});
