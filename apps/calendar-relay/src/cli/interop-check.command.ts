import { readFileSync } from 'node:fs';
import { readAvailabilityAnswer } from './availability-answer';
import { parseArguments, UsageError } from './cli-arguments';
import { EXIT, type CliIo } from './cli-io';
import { tenantEndpoint, type GoogleEndpoint } from './tenant-endpoint';
import { googleAvailabilityRequest, utcDayWindow } from './google-availability-request';
import { httpExchange, TransportError, type HttpAnswer } from './http-exchange';
import {
  diagnoseAvailabilityAnswer,
  diagnoseEwsStatus,
  diagnoseMailbox,
  diagnoseTokenAnswer,
  diagnoseTransportFailure,
  diagnoseUrl,
  SINGLE_TENANT_KEYS,
  type CheckStep,
  type Diagnosis,
  type DiagnosisKeys,
} from './interop-diagnosis';
import {
  formatDiagnosis,
  formatMailboxTable,
  formatSummary,
  type MailboxRow,
} from './interop-report';

export const INTEROP_CHECK_USAGE = `interop-check --url <relay base URL> [--client-id <id> --client-secret <secret> | --tenant <name>]
              [--ews-path /EWS/Exchange.asmx] [--role-account <address>] [--insecure-ca <pem file>]
              [--timeout-ms 10000] address...
  Plays Google Calendar Interop: POST <url>/token with client_id and client_secret, then
  GetUserAvailability in Google's request shape for today (UTC), one call per email domain.
  --client-id/--client-secret default to GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET.
  --tenant plays the Additional Exchange endpoints of one tenant of TENANTS: the credentials
  come from the relay's configuration (environment, ./.env, Vault or SECRETS_DIR; the tenant's
  own TENANT_<NAME>_GOOGLE_CLIENT_ID/SECRET, else the relay's), the addresses must be of its
  domains. Exit 0 only when every mailbox answered NoError.`;

interface InteropSettings {
  /** The keys the diagnoses name (the tenant's, with --tenant). */
  readonly keys: DiagnosisKeys;
  readonly base: URL;
  readonly ewsUrl: URL;
  readonly tokenUrl: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly roleAccount?: string;
  readonly extraCa?: string;
  readonly timeoutMs: number;
  readonly addresses: readonly string[];
}

export async function runInteropCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const settings = await settingsOf(argv, io);
  if (typeof settings === 'number') return settings;
  const warning = diagnoseUrl(settings.ewsUrl);
  if (warning !== undefined) io.err(`warning: ${formatDiagnosis(warning)}`);

  const exchange = async (
    step: CheckStep,
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<HttpAnswer | Diagnosis> => {
    const started = Date.now();
    try {
      const answer = await httpExchange(url, {
        method: 'POST',
        headers,
        body,
        extraCa: settings.extraCa,
        timeoutMs: settings.timeoutMs,
      });
      io.err(`  HTTP ${answer.status} in ${Date.now() - started} ms`);
      return answer;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      io.err(`  no answer: ${error.code} (${error.message})`);
      return diagnoseTransportFailure(step, url, error.code);
    }
  };

  io.err(`token: POST ${settings.tokenUrl.href} (client_id ${settings.clientId})`);
  const tokenAnswer = await exchange(
    'token',
    settings.tokenUrl,
    { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    new URLSearchParams({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    }).toString(),
  );
  const token =
    'status' in tokenAnswer
      ? diagnoseTokenAnswer(tokenAnswer.status, tokenAnswer.body, settings.keys)
      : { ok: false as const, diagnosis: tokenAnswer };
  if (!token.ok) {
    return report(
      io,
      settings.addresses.map((address) => ({ address, status: 'not asked' })),
      token.diagnosis,
    );
  }

  const { start, end } = utcDayWindow(io.now());
  const byDomain = groupByDomain(settings.addresses);
  const rows = new Map<string, MailboxRow>();
  let step = 0;
  for (const [domain, addresses] of byDomain) {
    step += 1;
    io.err(
      `[${step}/${byDomain.size}] ${domain}: GetUserAvailability for ${addresses.length} mailbox${addresses.length === 1 ? '' : 'es'}, ${start}..${end} UTC, POST ${settings.ewsUrl.href}`,
    );
    const body = googleAvailabilityRequest({
      roleAccount: settings.roleAccount ?? `interop-role@${domain}`,
      addresses,
      start,
      end,
    });
    const answer = await exchange(
      'EWS',
      settings.ewsUrl,
      { 'content-type': 'text/xml; charset=utf-8', authorization: `Bearer ${token.accessToken}` },
      body,
    );
    for (const row of await rowsOf(addresses, answer, settings.keys)) rows.set(row.address, row);
  }
  return report(
    io,
    settings.addresses.map((address) => rows.get(address) ?? { address, status: 'not asked' }),
  );
}

/** The table rows of one domain's call (duplicates of an address get the same row). */
async function rowsOf(
  addresses: readonly string[],
  answer: HttpAnswer | Diagnosis,
  keys: DiagnosisKeys,
): Promise<MailboxRow[]> {
  const failAll = (status: string, diagnosis: Diagnosis): MailboxRow[] =>
    addresses.map((address) => ({ address, status, error: diagnosis.detail, diagnosis }));
  if (!('status' in answer)) return failAll('no answer', answer);
  const httpProblem = diagnoseEwsStatus(
    answer.status,
    headerOf(answer.headers['content-type']),
    headerOf(answer.headers['www-authenticate']),
  );
  if (httpProblem !== undefined) return failAll(`HTTP ${answer.status}`, httpProblem);
  const parsed = await readAvailabilityAnswer(answer.body);
  const soapProblem = diagnoseAvailabilityAnswer(parsed, keys);
  if (soapProblem !== undefined || parsed.kind !== 'answered') {
    return failAll(parsed.kind === 'fault' ? 'fault' : 'unreadable', soapProblem!);
  }
  if (parsed.mailboxes.length !== addresses.length) {
    return failAll('unreadable', {
      google: 'EWS response error',
      detail: `${parsed.mailboxes.length} FreeBusyResponse elements for ${addresses.length} mailboxes asked`,
    });
  }
  return addresses.map((address, i) => {
    const mailbox = parsed.mailboxes[i];
    const diagnosis = diagnoseMailbox(mailbox.code, keys);
    return {
      address,
      status: mailbox.code,
      events: mailbox.events,
      ...(mailbox.code !== 'NoError' && mailbox.message !== undefined
        ? { error: mailbox.message }
        : {}),
      ...(diagnosis !== undefined ? { diagnosis } : {}),
    };
  });
}

function report(io: CliIo, rows: readonly MailboxRow[], overall?: Diagnosis): number {
  for (const line of formatMailboxTable(rows)) io.out(line);
  const diagnoses = [
    ...(overall !== undefined ? [formatDiagnosis(overall)] : []),
    ...rows.flatMap((r) =>
      r.diagnosis !== undefined ? [formatDiagnosis(r.diagnosis, r.address)] : [],
    ),
  ];
  if (diagnoses.length > 0) {
    io.out('');
    io.out('Diagnosis:');
    // Several mailboxes of one failed call share a diagnosis: say it once.
    for (const line of new Set(diagnoses)) io.out(`  ${line}`);
  }
  io.out('');
  io.out(formatSummary(rows));
  return rows.every((r) => r.status === 'NoError') ? EXIT.ok : EXIT.failed;
}

/** The settings, or the exit code when the relay's configuration (for --tenant) cannot load. */
async function settingsOf(argv: readonly string[], io: CliIo): Promise<InteropSettings | number> {
  const args = parseArguments(argv, {
    valued: [
      'url',
      'client-id',
      'client-secret',
      'tenant',
      'ews-path',
      'role-account',
      'insecure-ca',
      'timeout-ms',
    ],
  });
  const rawUrl = args.flags.get('url');
  if (rawUrl === undefined) throw new UsageError('--url is required (the relay base URL)');
  let base: URL;
  try {
    base = new URL(rawUrl);
  } catch {
    throw new UsageError(`--url ${rawUrl} is not a URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new UsageError('--url must be an https:// (or, for a local check, http://) URL');
  }
  if (args.positionals.length === 0) throw new UsageError('name at least one address to look up');
  const timeoutMs = Number(args.flags.get('timeout-ms') ?? '10000');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    throw new UsageError('--timeout-ms must be a whole number of milliseconds, at least 100');
  }
  const caFile = args.flags.get('insecure-ca');
  let extraCa: string | undefined;
  if (caFile !== undefined) {
    try {
      extraCa = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--insecure-ca ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  const tenant = args.flags.get('tenant');
  let endpoint: GoogleEndpoint;
  if (tenant !== undefined) {
    if (args.flags.has('client-id') || args.flags.has('client-secret')) {
      throw new UsageError(
        "--tenant takes the client id and secret from the relay's configuration; leave out --client-id and --client-secret",
      );
    }
    const played = await tenantEndpoint(tenant, args.positionals, io);
    if (typeof played === 'number') return played;
    endpoint = played;
  } else {
    const clientId = args.flags.get('client-id') ?? io.env.GOOGLE_CLIENT_ID;
    const clientSecret = args.flags.get('client-secret') ?? io.env.GOOGLE_CLIENT_SECRET;
    if (clientId === undefined) {
      throw new UsageError('--client-id is required (or GOOGLE_CLIENT_ID)');
    }
    if (clientSecret === undefined) {
      throw new UsageError('--client-secret is required (or GOOGLE_CLIENT_SECRET)');
    }
    endpoint = { clientId, clientSecret, keys: SINGLE_TENANT_KEYS };
  }
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
  const ewsPath = (args.flags.get('ews-path') ?? '').replace(/^\//, '');
  return {
    ...endpoint,
    base,
    ewsUrl: new URL(ewsPath, root),
    tokenUrl: new URL('token', root),
    roleAccount: args.flags.get('role-account'),
    extraCa,
    timeoutMs,
    addresses: args.positionals,
  };
}

/** Google routes each lookup by the domain of the address (one endpoint per domain). */
function groupByDomain(addresses: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const address of new Set(addresses)) {
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase() || '(no domain)';
    groups.set(domain, [...(groups.get(domain) ?? []), address]);
  }
  return groups;
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
