import type { LoggerService } from '@nestjs/common';
import {
  ConfigSources,
  ConfigurationError,
  loadDotEnv,
  RELAY_CONFIG_KEYS,
  SECRET_SOURCE_SETTING_KEYS,
  type RelayConfig,
} from '@app/config';
import { GraphScheduleClient, placesAvailableAt } from '@app/graph';
import { parseArguments, UsageError } from './cli-arguments';
import { EXIT, type CliIo } from './cli-io';
import { adminConsoleValues, formatKeySources, keysToReport } from './config-report';
import { judgePlacesCall } from './places-permission';
import { judgeScheduleCall } from './schedule-permission';

export const CONFIG_CHECK_USAGE = `config-check [--address someone@contoso.com] [--url https://relay.example.com]
  Loads the configuration as the relay would (environment, ./.env, Vault or SECRETS_DIR), says
  where each key comes from, gets a Microsoft Graph token, reads the room lists (Place.Read.All;
  a warning when refused, since free/busy works without), calls getSchedule for --address to
  prove the permission, and prints the values for Google's admin console. Exit 0 when all works.`;

const GRAPH_TIMEOUT_MS = 15_000;

export async function runConfigCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArguments(argv, { valued: ['address', 'url'] });
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const address = args.flags.get('address');
  const url = args.flags.get('url');

  // ./.env read as main.ts reads it: values already in the environment win.
  const env = { ...io.env };
  const fromDotEnv = loadDotEnv(env);

  let sources: ConfigSources;
  try {
    sources = await ConfigSources.open(env, { logger: warningsTo(io) });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.err(
        `config-check: the relay would refuse to start: ${error.message.replace(/\n/g, '; ')}`,
      );
      return EXIT.failed;
    }
    throw error;
  }
  try {
    const config = sources.current();
    io.out('Configuration keys and where they come from:');
    const keys = keysToReport(config, env, RELAY_CONFIG_KEYS, SECRET_SOURCE_SETTING_KEYS);
    const provenance = { ...sources.keySources() };
    // The secret-source settings (a tenant's secret path among them) come from the environment.
    for (const key of keys) {
      if (SECRET_SOURCE_SETTING_KEYS.includes(key) || key.endsWith('_VAULT_SECRET_PATH')) {
        if (env[key] !== undefined) provenance[key] = 'env';
      }
    }
    for (const line of formatKeySources(keys, provenance, fromDotEnv, sources.health()))
      io.out(`  ${line}`);
    io.out('');
    io.out('Google admin console (Calendar Interop management):');
    for (const line of adminConsoleValues(config, url)) io.out(`  ${line}`);
    io.out('');

    if (config.graph === undefined && config.tenants.length > 0) {
      io.err(
        `config-check: TENANTS is set (${config.tenants.map((t) => t.name).join(', ')}): the keys above are valid; checking each tenant's Microsoft Graph token and permission is not done yet`,
      );
      return EXIT.failed;
    }
    if (config.graph === undefined) {
      io.err(
        'config-check: no Microsoft tenant configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY): the relay would serve the DEMO calendars',
      );
      return EXIT.failed;
    }
    const graph = config.graph;
    const client = new GraphScheduleClient(() => graph);
    try {
      io.err(
        `Microsoft Graph: token from ${config.graph.authority} for client ${config.graph.clientId} ...`,
      );
      const token = await client.checkToken(AbortSignal.timeout(GRAPH_TIMEOUT_MS));
      if (!token.ok) {
        io.err(`config-check: no Microsoft Graph token: ${token.detail}`);
        return EXIT.failed;
      }
      io.out('Microsoft Graph token: OK');
      await checkRoomDirectory(client, config, io);
      if (address === undefined) {
        io.out(
          'getSchedule: not tried (pass --address someone@<domain> to prove the Calendars.ReadBasic.All permission)',
        );
        return EXIT.ok;
      }
      const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
      if (config.allowedDomains.length > 0 && !config.allowedDomains.includes(domain)) {
        io.err(
          `warning: ${domain} is not in ALLOWED_DOMAINS: the relay answers ${address} "not found" without asking Graph`,
        );
      }
      io.err(`Microsoft Graph: getSchedule for ${address} at ${config.graph.endpoint} ...`);
      const day = Date.UTC(
        io.now().getUTCFullYear(),
        io.now().getUTCMonth(),
        io.now().getUTCDate(),
      );
      // Anchored as the relay anchors: on GRAPH_ANCHOR_MAILBOX when set, else on the address.
      const anchor = config.graph.anchorMailbox ?? address;
      const outcome = await client.getSchedule(
        {
          anchor,
          schedules: [address],
          window: { startMs: day, endMs: day + 86_400_000 },
          intervalMinutes: 30,
        },
        AbortSignal.timeout(GRAPH_TIMEOUT_MS),
      );
      const verdict = judgeScheduleCall(outcome, address, anchor);
      if (!verdict.ok) {
        io.err(`config-check: ${verdict.reason}`);
        return EXIT.failed;
      }
      io.out(verdict.detail);
      return EXIT.ok;
    } finally {
      client.close();
    }
  } finally {
    // Revokes the relay's own Vault login token, as a stopping relay does.
    await sources.onApplicationShutdown();
  }
}

/**
 * The room directory: Graph places with Place.Read.All, unless ROOM_LISTS replaces it or the
 * cloud has no places. Never fails the check: the relay serves free/busy without it.
 */
async function checkRoomDirectory(
  client: GraphScheduleClient,
  config: RelayConfig,
  io: CliIo,
): Promise<void> {
  const configured = config.rooms.configuredLists.length;
  if (configured > 0) {
    io.out(`Room lists: ${configured} from ROOM_LISTS (Graph places not asked)`);
    return;
  }
  if (!placesAvailableAt(config.graph!.endpoint)) {
    io.err(
      `warning: ${config.graph!.endpoint} is a national cloud without Graph places: GetRoomLists answers no room lists unless ROOM_LISTS lists them`,
    );
    return;
  }
  const verdict = judgePlacesCall(
    await client.getPlaces(
      '/places/microsoft.graph.roomlist?$top=100',
      AbortSignal.timeout(GRAPH_TIMEOUT_MS),
    ),
  );
  if (verdict.ok) io.out(`Microsoft Graph ${verdict.detail}`);
  else io.err(`warning: ${verdict.warning}`);
}

/** ConfigSources' warnings (ignored keys, retries) as notes; its routine log lines dropped. */
function warningsTo(io: CliIo): LoggerService {
  const note = (message: unknown) => io.err(`note: ${String(message)}`);
  return { log: () => undefined, warn: note, error: note };
}
