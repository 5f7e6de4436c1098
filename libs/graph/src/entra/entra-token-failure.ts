/**
 * Why @azure/identity could not produce a token, for logs and the provider's decision. A refusal
 * (wrong secret, unknown client, unknown tenant, a scope the app may not ask) is the operator's
 * to fix and is never retried; anything else (Entra unreachable, busy or failing) may pass and
 * is retried within the lookup's deadline.
 */

/**
 * Entra's own "try again" answers, checked first: they come as AADSTS codes and OAuth errors
 * too, and would otherwise read as refusals (MicrosoftDocs/entra-docs,
 * reference-error-codes.md): `temporarily_unavailable` (RFC 6749 5.2's "the authorization
 * server is currently unable to handle the request"), AADSTS90033 MsodsServiceUnavailable,
 * AADSTS90055 TenantThrottlingError ("too many incoming requests"), AADSTS90090
 * GraphRetryableError, AADSTS50000 TokenIssuanceError ("There's an issue with the sign-in
 * service").
 */
const TRANSIENT = /\b(temporarily_unavailable|AADSTS(?:90033|90055|90090|50000))\b/;

/** OAuth 2.0 error codes (RFC 6749 5.2) and AADSTS codes that mean our own registration or request is wrong. */
const REFUSALS =
  /\b(invalid_client|unauthorized_client|invalid_grant|invalid_scope|invalid_request|invalid_resource|invalid_tenant|AADSTS\d+)\b/;

export interface TokenFailure {
  readonly rejected: boolean;
  /** Safe for logs and the readiness report: an error code and a hint, never a secret. */
  readonly detail: string;
}

export function describeTokenFailure(error: unknown): TokenFailure {
  const status = statusOf(error);
  const text = messagesOf(error).join('\n');
  const transient = TRANSIENT.exec(text)?.[1];
  if (transient !== undefined || (status !== undefined && (status === 429 || status >= 500))) {
    return {
      rejected: false,
      detail: `Entra could not issue a token just now (${transient ?? `HTTP ${status}`}); retried`,
    };
  }
  const code = REFUSALS.exec(text)?.[1];
  const rejected = code !== undefined || status === 400 || status === 401 || status === 403;
  if (rejected) {
    return {
      rejected: true,
      detail: `Entra refused the relay's credentials${code !== undefined ? ` (${code})` : status !== undefined ? ` (HTTP ${status})` : ''}: check GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_AUTHORITY`,
    };
  }
  if (/endpoints_resolution_error/.test(text)) {
    // MSAL says this both when the host is unreachable and when Entra does not know the tenant.
    return {
      rejected: false,
      detail:
        'cannot read the OpenID metadata of GRAPH_AUTHORITY (Entra unreachable, or the tenant in GRAPH_AUTHORITY unknown)',
    };
  }
  const first = text.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
  return { rejected: false, detail: `cannot reach Entra for a token: ${first}` };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The messages of the error and its causes (MSAL wraps the server's answer). */
function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      messages.push(current.message);
      const response = (current as { errorResponse?: { error?: unknown } }).errorResponse;
      if (typeof response?.error === 'string') messages.push(response.error);
      current = current.cause;
    } else {
      if (typeof current === 'string') messages.push(current);
      break;
    }
  }
  return messages;
}
