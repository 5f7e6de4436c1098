import { RELAY_CONFIG_KEYS, SECRET_SOURCE_SETTING_KEYS, type RelayConfig } from '@app/config';
import { parseArguments, UsageError } from './cli-arguments';
import { EXIT, type CliIo } from './cli-io';
import { adminConsoleValues, formatKeySources, keysToReport } from './config-report';
import { openRelayConfiguration } from './relay-configuration';
import { planAddresses } from './tenant-addresses';
import { checkTenantGraph } from './tenant-graph-check';

export const CONFIG_CHECK_USAGE = `config-check [--address someone@contoso.com]... [--url https://relay.example.com]
  Loads the configuration as the relay would (environment, ./.env, Vault or SECRETS_DIR), says
  where each key comes from, gets a Microsoft Graph token, reads the room lists (Place.Read.All;
  a warning when refused, since free/busy works without), calls getSchedule for --address to
  prove the permission, and prints the values for Google's admin console. With TENANTS it checks
  every tenant: its token from its own authority, its room lists, and getSchedule for each
  --address through the tenant of the address's domain (repeat --address, one or more per
  tenant). Exit 0 when all works.`;

export async function runConfigCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArguments(argv, { valued: ['address', 'url'] });
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const addresses = args.flagValues.get('address') ?? [];
  const url = args.flags.get('url');

  const loaded = await openRelayConfiguration(io, 'config-check');
  if (loaded === undefined) return EXIT.failed;
  const { env, fromDotEnv, sources } = loaded;
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

    if (config.tenants.length === 0) {
      io.err(
        'config-check: no Microsoft tenant configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_AUTHORITY, or TENANTS): the relay would serve the DEMO calendars',
      );
      return EXIT.failed;
    }
    return config.graph === undefined
      ? await checkEveryTenant(config, addresses, io)
      : await checkTheTenant(config, addresses, io);
  } finally {
    // Revokes the relay's own Vault login token, as a stopping relay does.
    await sources.onApplicationShutdown();
  }
}

/** Without TENANTS: the one Entra app, every --address asked of it. */
async function checkTheTenant(
  config: RelayConfig,
  addresses: readonly string[],
  io: CliIo,
): Promise<number> {
  const plan = planAddresses(config, addresses);
  for (const warning of plan.warnings) io.err(`warning: ${warning}`);
  for (const { address, reason } of plan.unrouted) io.err(`config-check: ${address} ${reason}`);
  const [tenant] = config.tenants;
  const check = await checkTenantGraph(tenant, plan.byTenant.get(tenant.name) ?? [], {
    progress: (line) => io.err(line),
    now: io.now(),
    roomLists: config.rooms.configuredLists,
  });
  for (const line of check.lines) io.out(line);
  for (const warning of check.warnings) io.err(`warning: ${warning}`);
  for (const failure of check.failures) io.err(`config-check: ${failure}`);
  return check.failures.length === 0 && plan.unrouted.length === 0 ? EXIT.ok : EXIT.failed;
}

/**
 * With TENANTS: each tenant in turn (its own app, authority and anchor), each --address through
 * the tenant of its domain; one line per failing tenant naming it.
 */
async function checkEveryTenant(
  config: RelayConfig,
  addresses: readonly string[],
  io: CliIo,
): Promise<number> {
  const plan = planAddresses(config, addresses);
  const failing: string[] = [];
  for (const tenant of config.tenants) {
    io.out(`Tenant ${tenant.name} (${tenant.domains.join(', ')}):`);
    const check = await checkTenantGraph(tenant, plan.byTenant.get(tenant.name) ?? [], {
      progress: (line) => io.err(line),
      now: io.now(),
      roomLists: config.rooms.configuredLists,
    });
    for (const line of check.lines) io.out(`  ${line}`);
    for (const warning of check.warnings) io.err(`warning: tenant ${tenant.name}: ${warning}`);
    for (const failure of check.failures) io.out(`  FAILED: ${failure}`);
    if (check.failures.length > 0) {
      failing.push(tenant.name);
      io.err(`config-check: tenant ${tenant.name}: ${check.failures.join('; ')}`);
    }
  }
  for (const { address, reason } of plan.unrouted) io.err(`config-check: ${address}: ${reason}`);
  io.out('');
  const count = config.tenants.length;
  if (failing.length === 0 && plan.unrouted.length === 0) {
    io.out(`OK: all ${count} tenants passed (${config.tenants.map((t) => t.name).join(', ')})`);
    return EXIT.ok;
  }
  io.out(
    failing.length === 0
      ? `FAILED: every tenant passed, but ${plan.unrouted.length} --address ${plan.unrouted.length === 1 ? 'is' : 'are'} served by none`
      : `FAILED: ${failing.length} of ${count} tenants (${failing.join(', ')})`,
  );
  return EXIT.failed;
}
