import type { AvailabilityAnswer } from './availability-answer';

/**
 * What Google Calendar Interop would show for each way a check can fail, and what to fix
 * (docs/protocol.md section 2: "Invalid attendee", "EWS response error", "Connection error",
 * "EWS communication error"). Pure.
 */
export interface Diagnosis {
  /** Google's words (the Interop troubleshooter's or the calendar's). */
  readonly google: string;
  readonly detail: string;
}

export type CheckStep = 'token' | 'EWS';

/**
 * The configuration keys a diagnosis tells the admin to check: the single-tenant ones, or with
 * `interop-check --tenant` that tenant's (TENANT_<NAME>_DOMAINS, its own Google client's keys).
 */
export interface DiagnosisKeys {
  readonly googleClientId: string;
  readonly googleClientSecret: string;
  /** Where the domains the relay answers for are listed. */
  readonly domains: string;
  /** The Graph app's keys, as a pattern (`GRAPH_*`). */
  readonly graph: string;
}

export const SINGLE_TENANT_KEYS: DiagnosisKeys = {
  googleClientId: 'GOOGLE_CLIENT_ID',
  googleClientSecret: 'GOOGLE_CLIENT_SECRET',
  domains: 'ALLOWED_DOMAINS',
  graph: 'GRAPH_*',
};

/** A call that got no HTTP answer: `code` is Node's error code (ECONNREFUSED, a TLS code, ...). */
export function diagnoseTransportFailure(step: CheckStep, url: URL, code: string): Diagnosis {
  const where = `${url.host} (${step} call)`;
  const tls = (detail: string): Diagnosis => ({
    google: 'Connection error (TLS)',
    detail: `${detail}. Google only talks to HTTPS with a publicly trusted certificate whose name matches the URL.`,
  });
  switch (code) {
    case 'ECONNREFUSED':
      return {
        google: 'Connection error',
        detail: `nothing accepts connections at ${where}: is the relay running, and is this its port?`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { google: 'Connection error', detail: `the host name of ${where} does not resolve` };
    case 'ETIMEDOUT':
    case 'TIMEOUT':
      return {
        google: 'Connection error',
        detail: `${where} did not answer in time (a firewall dropping packets, or an overloaded relay)`,
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        google: 'Connection error',
        detail: `${where} closed the connection without an answer`,
      };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return tls(`${where} presents a self-signed certificate`);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return tls(
        `the certificate of ${where} is not issued for the host name "${url.hostname}" (hostname mismatch)`,
      );
    case 'CERT_HAS_EXPIRED':
      return tls(`the certificate of ${where} has expired`);
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return tls(
        `the certificate of ${where} cannot be traced to a trusted CA (an unknown CA, or the intermediate certificates are not served)`,
      );
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return tls(`${where} does not speak TLS on this port (plain HTTP behind an https:// URL?)`);
    default:
      return { google: 'Connection error', detail: `${where} failed: ${code}` };
  }
}

/** Warnings about the URL itself, before any call. */
export function diagnoseUrl(url: URL): Diagnosis | undefined {
  if (url.protocol === 'http:') {
    return {
      google: 'EWS communication error',
      detail: `${url.origin} is plain HTTP; Google requires an https:// URL (fine for a local check only)`,
    };
  }
  return undefined;
}

export type TokenOutcome =
  | { readonly ok: true; readonly accessToken: string }
  | { readonly ok: false; readonly diagnosis: Diagnosis };

/** The answer of POST /token. */
export function diagnoseTokenAnswer(
  status: number,
  body: string,
  keys: DiagnosisKeys = SINGLE_TENANT_KEYS,
): TokenOutcome {
  let json: { access_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    json = undefined;
  }
  if (status === 200) {
    if (typeof json?.access_token === 'string' && json.access_token !== '') {
      return { ok: true, accessToken: json.access_token };
    }
    return {
      ok: false,
      diagnosis: {
        google: 'Authentication error',
        detail: "the token URL answered 200 without a JSON access_token: is it the relay's /token?",
      },
    };
  }
  const error = typeof json?.error === 'string' ? json.error : undefined;
  const said =
    error === undefined
      ? ''
      : ` (${error}${typeof json?.error_description === 'string' ? `: ${json.error_description}` : ''})`;
  if (status === 401 || error === 'invalid_client') {
    return {
      ok: false,
      diagnosis: {
        google: 'Authentication error (invalid_client)',
        detail: `the relay refused the client id or secret${said}: the admin console's Application (client) ID and Client secret must be the relay's ${keys.googleClientId} and ${keys.googleClientSecret}`,
      },
    };
  }
  if (status === 403) {
    return {
      ok: false,
      diagnosis: {
        google: 'Authentication error',
        detail:
          "the token endpoint refused this machine's address (TOKEN_IP_ALLOWLIST); Google's own calls must be inside it",
      },
    };
  }
  if (status === 404 || status === 405) {
    return {
      ok: false,
      diagnosis: {
        google: 'Authentication error',
        detail: `the token URL answered ${status}: the admin console's Token endpoint URL must be the relay's base URL + /token`,
      },
    };
  }
  return {
    ok: false,
    diagnosis: {
      google: 'Authentication error',
      detail: `the token endpoint answered HTTP ${status}${said}`,
    },
  };
}

/** The HTTP side of the EWS answer; undefined when it is a SOAP answer worth reading. */
export function diagnoseEwsStatus(
  status: number,
  contentType: string | undefined,
  wwwAuthenticate: string | undefined,
): Diagnosis | undefined {
  if (status === 401) {
    return /error="invalid_token"/.test(wwwAuthenticate ?? '')
      ? {
          google: 'EWS response error (401 invalid_token)',
          detail:
            'the relay refused the token it issued a moment ago: do all replicas share TOKEN_SIGNING_KEY (or GOOGLE_CLIENT_SECRET), and is the clock right?',
        }
      : {
          google: 'EWS response error (401)',
          detail:
            'the EWS endpoint got no bearer token (a proxy stripping the Authorization header?)',
        };
  }
  if (status === 403) {
    return {
      google: 'EWS response error (403)',
      detail:
        "IP_ALLOWLIST refused this machine's address; Google's calls come from its Interop ranges (IP_ALLOWLIST=google), a check from elsewhere needs its own address listed",
    };
  }
  if (status === 404 || status === 405) {
    return {
      google: 'EWS response error',
      detail: `the EWS URL answered ${status}: use the relay's base URL or /EWS/Exchange.asmx`,
    };
  }
  if (status !== 200 && status !== 500) {
    return { google: 'EWS response error', detail: `the EWS endpoint answered HTTP ${status}` };
  }
  if (!/^text\/xml\b/i.test(contentType ?? '')) {
    return {
      google: 'EWS response error',
      detail: `the EWS endpoint answered ${status} with ${contentType ?? 'no content type'}, not SOAP XML: is a proxy or another service answering this URL?`,
    };
  }
  return undefined;
}

/** A SOAP answer that is not a FreeBusyResponseArray. */
export function diagnoseAvailabilityAnswer(
  answer: AvailabilityAnswer,
  keys: DiagnosisKeys = SINGLE_TENANT_KEYS,
): Diagnosis | undefined {
  switch (answer.kind) {
    case 'answered':
      return undefined;
    case 'unreadable':
      return { google: 'EWS response error', detail: answer.detail };
    case 'fault':
      return {
        google: 'EWS response error',
        detail: `SOAP fault ${answer.code ?? '(no code)'}: ${answer.text}${faultHint(answer.code, keys)}`,
      };
  }
}

/** What the relay's own fault codes usually mean (libs/ews upstream-fault.ts). */
const FAULT_HINTS: Readonly<Record<string, (keys: DiagnosisKeys) => string>> = {
  ErrorInternalServerError: (keys) =>
    ` (the relay's log says why; often Microsoft Graph refusing the relay: check ${keys.graph} and the Calendars.ReadBasic.All permission)`,
  ErrorServerBusy: () => ' (Microsoft Graph is throttling the relay)',
  ErrorInternalServerTransientError: () =>
    ' (Microsoft Graph has been failing; the relay pauses calls for a few seconds)',
};

function faultHint(code: string | undefined, keys: DiagnosisKeys): string {
  return (code !== undefined && FAULT_HINTS[code]?.(keys)) || '';
}

/** One mailbox's ResponseCode in Google's terms; undefined for NoError. */
export function diagnoseMailbox(
  code: string,
  keys: DiagnosisKeys = SINGLE_TENANT_KEYS,
): Diagnosis | undefined {
  switch (code) {
    case 'NoError':
      return undefined;
    case 'ErrorMailRecipientNotFound':
      return {
        google: 'Invalid attendee',
        detail: `the address is unknown to Microsoft 365, or its domain is not in ${keys.domains}`,
      };
    case 'ErrorNoFreeBusyAccess':
      return {
        google: 'No free/busy shown',
        detail:
          "the calendar does not share free/busy with the relay's app, or the token's client may not look up this domain (a tenant's own Google client sees that tenant's domains only; ROLE_ACCOUNT_DOMAIN_ONLY keeps a role account to its domain)",
      };
    case 'ErrorFreeBusyGenerationFailed':
      return {
        google: 'No free/busy shown',
        detail: 'Microsoft Graph could not answer for this mailbox (see the relay log)',
      };
    case 'ErrorProxyRequestProcessingFailed':
      return {
        google: 'No free/busy shown',
        detail: 'Microsoft Graph did not answer within GRAPH_DEADLINE_MS',
      };
    default:
      return { google: 'EWS response error', detail: `unexpected ResponseCode ${code}` };
  }
}
