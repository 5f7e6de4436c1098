/**
 * Reading an OAuth 2.0 client-credentials token request (RFC 6749 sections 2.3.1, 3.2, 4.4):
 * which client authentication method was used, with which credentials, for which grant. Pure:
 * the controller hands in the Authorization header and the body as the body parsers left it
 * (form bodies as URLSearchParams, anything else as a Buffer or parsed JSON).
 */

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** One reading of the presented client id and secret. */
export interface CredentialSpelling {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface PresentedClient {
  readonly method: ClientAuthMethod;
  /**
   * The readings to compare, the RFC's first. RFC 6749 2.3.1 says Basic credentials are
   * form-urlencoded before base64, but `curl -u`, Python requests and most HTTP libraries send
   * them raw, and a secret containing `+` or `%` (base64 alphabets have `+`) then decodes to
   * something else. Both readings are tried; neither accepts a secret other than the one typed.
   */
  readonly spellings: readonly CredentialSpelling[];
}

export type TokenRequestError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

export type ParsedTokenRequest =
  | { readonly ok: true; readonly client: PresentedClient }
  | {
      readonly ok: false;
      readonly error: TokenRequestError;
      /** Safe to send back (RFC 6749 5.2 error_description): names no secret. */
      readonly description: string;
      /** The client tried HTTP Basic: a 401 must then carry WWW-Authenticate (RFC 6749 5.2). */
      readonly basicAttempted: boolean;
    };

export interface TokenRequestInput {
  readonly authorization?: string;
  /** The parsed body: URLSearchParams for a form, undefined when there was none. */
  readonly body: unknown;
}

/**
 * Parameters that must not repeat (RFC 6749 3.2). `resource` (RFC 8707) and `audience`
 * (RFC 8693) may legitimately repeat; the relay ignores both anyway.
 */
const SINGLE_VALUED = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;

export function parseTokenRequest(input: TokenRequestInput): ParsedTokenRequest {
  const basicAttempted = /^basic(\s|$)/i.test(input.authorization?.trim() ?? '');
  const refuse = (error: TokenRequestError, description: string): ParsedTokenRequest => ({
    ok: false,
    error,
    description,
    basicAttempted,
  });

  const form = formOf(input.body);
  if (form === undefined) {
    return refuse(
      'invalid_request',
      'The token request must be sent as application/x-www-form-urlencoded.',
    );
  }
  for (const name of SINGLE_VALUED) {
    if (form.getAll(name).length > 1) {
      return refuse('invalid_request', `The parameter ${name} must not be repeated.`);
    }
  }

  // A missing grant_type is read as client_credentials: whether Google sends one is unknown
  // (docs/protocol.md section 2) and it is the only grant this endpoint serves.
  const grantType = form.get('grant_type');
  if (grantType !== null && grantType !== 'client_credentials') {
    return grantType === ''
      ? refuse('invalid_request', 'The parameter grant_type is empty.')
      : refuse('unsupported_grant_type', 'Only the client_credentials grant is supported.');
  }

  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');

  if (basicAttempted) {
    const basic = parseBasicCredentials(input.authorization!);
    if (basic === undefined) {
      return refuse('invalid_request', 'The Basic authorization header is malformed.');
    }
    // RFC 6749 2.3: a client MUST NOT use more than one authentication method per request.
    if (bodySecret !== null) {
      return refuse(
        'invalid_request',
        'The client authenticated with both HTTP Basic and client_secret in the body; use one.',
      );
    }
    // A client_id repeated in the body is harmless when it names the same client.
    if (bodyId !== null && !basic.some((s) => s.clientId === bodyId)) {
      return refuse('invalid_request', 'The client_id in the body differs from the Basic one.');
    }
    return { ok: true, client: { method: 'client_secret_basic', spellings: basic } };
  }

  if (bodyId === null || bodySecret === null || bodyId === '' || bodySecret === '') {
    return refuse(
      'invalid_client',
      'Client authentication is required: client_id and client_secret, or HTTP Basic.',
    );
  }
  return {
    ok: true,
    client: {
      method: 'client_secret_post',
      spellings: [{ clientId: bodyId, clientSecret: bodySecret }],
    },
  };
}

/**
 * The form parameters, or undefined when the body is something else. No body at all (a Basic
 * client that sends nothing else, `curl -u id:secret -X POST`) reads as an empty form.
 */
function formOf(body: unknown): URLSearchParams | undefined {
  if (body instanceof URLSearchParams) return body;
  if (body === undefined || body === null) return new URLSearchParams();
  if ((Buffer.isBuffer(body) || typeof body === 'string') && body.length === 0) {
    return new URLSearchParams();
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The credential readings of an `Authorization: Basic ...` header (see PresentedClient), or
 * undefined when it is not valid base64 of `id:secret` with a non-empty id and secret.
 */
export function parseBasicCredentials(header: string): CredentialSpelling[] | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header.trim());
  if (match === null || !BASE64.test(match[1]) || match[1].length % 4 !== 0) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  const raw = { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };

  const spellings: CredentialSpelling[] = [];
  const clientId = formDecode(raw.clientId);
  const clientSecret = formDecode(raw.clientSecret);
  if (
    clientId !== undefined &&
    clientSecret !== undefined &&
    clientId !== '' &&
    clientSecret !== ''
  ) {
    spellings.push({ clientId, clientSecret });
  }
  if (!spellings.some((s) => s.clientId === raw.clientId && s.clientSecret === raw.clientSecret)) {
    spellings.push(raw);
  }
  return spellings;
}

/** application/x-www-form-urlencoded decoding of one value; undefined for a broken %-escape. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
