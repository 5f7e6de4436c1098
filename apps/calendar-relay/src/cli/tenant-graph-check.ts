import { domainOf } from '@app/availability';
import { DEFAULT_TENANT, tenantKey, type RelayConfig, type TenantSettings } from '@app/config';
import { GraphScheduleClient, placesAvailableAt } from '@app/graph';
import { judgePlacesCall } from './places-permission';
import { judgeScheduleCall, type GraphKeyName } from './schedule-permission';

/**
 * config-check's Microsoft Graph part for one tenant: an app-only token from the tenant's
 * authority, its room directory (Graph places), then one getSchedule call per address, anchored
 * as the relay anchors (the tenant's GRAPH_ANCHOR_MAILBOX when set, else the address itself). Each tenant has its own
 * client: its own credential, token cache and connections, as in the relay.
 */

const GRAPH_TIMEOUT_MS = 15_000;

export interface TenantGraphCheck {
  /** What was proven, for stdout. */
  readonly lines: readonly string[];
  /** Why the tenant fails; empty when it passes. */
  readonly failures: readonly string[];
  /** What the relay works without (the room directory), for stderr. */
  readonly warnings: readonly string[];
}

export interface TenantGraphCheckOptions {
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
  readonly now: Date;
  /** ROOM_LISTS: they replace Graph places for the tenants their addresses belong to. */
  readonly roomLists: RelayConfig['rooms']['configuredLists'];
}

export async function checkTenantGraph(
  tenant: TenantSettings,
  addresses: readonly string[],
  options: TenantGraphCheckOptions,
): Promise<TenantGraphCheck> {
  const single = tenant.name === DEFAULT_TENANT;
  const label = single ? 'Microsoft Graph' : `Microsoft Graph (tenant ${tenant.name})`;
  // The keys a hint names: the single-tenant ones, or this tenant's TENANT_<NAME>_GRAPH_*.
  const key = (name: GraphKeyName) => (single ? name : tenantKey(tenant.name, name));
  const graph = tenant.graph;
  const client = new GraphScheduleClient(() => graph);
  try {
    options.progress(`${label}: token from ${graph.authority} for client ${graph.clientId} ...`);
    const token = await client.checkToken(AbortSignal.timeout(GRAPH_TIMEOUT_MS));
    if (!token.ok) {
      return { lines: [], failures: [`no Microsoft Graph token: ${token.detail}`], warnings: [] };
    }
    const lines = ['Microsoft Graph token: OK'];
    const warnings: string[] = [];
    const rooms = await checkRoomDirectory(client, tenant, options.roomLists);
    if ('line' in rooms) lines.push(rooms.line);
    else warnings.push(rooms.warning);
    if (addresses.length === 0) {
      const example = `someone@${tenant.domains[0] ?? '<domain>'}`;
      lines.push(
        `getSchedule: not tried (pass --address ${example} to prove the Calendars.ReadBasic.All permission)`,
      );
      return { lines, failures: [], warnings };
    }
    const failures: string[] = [];
    const day = Date.UTC(
      options.now.getUTCFullYear(),
      options.now.getUTCMonth(),
      options.now.getUTCDate(),
    );
    for (const address of addresses) {
      // Anchored as the relay anchors: on the tenant's GRAPH_ANCHOR_MAILBOX when set.
      const anchor = graph.anchorMailbox ?? address;
      options.progress(`${label}: getSchedule for ${address} at ${graph.endpoint} ...`);
      const outcome = await client.getSchedule(
        {
          anchor,
          schedules: [address],
          window: { startMs: day, endMs: day + 86_400_000 },
          intervalMinutes: 30,
        },
        AbortSignal.timeout(GRAPH_TIMEOUT_MS),
      );
      const verdict = judgeScheduleCall(outcome, address, anchor, key);
      if (verdict.ok) lines.push(verdict.detail);
      else failures.push(verdict.reason);
    }
    return { lines, failures, warnings };
  } finally {
    client.close();
  }
}

/**
 * The tenant's room directory: Graph places with Place.Read.All, unless ROOM_LISTS replaces it
 * or the cloud has no places. Never a failure: the relay serves free/busy without it.
 */
async function checkRoomDirectory(
  client: GraphScheduleClient,
  tenant: TenantSettings,
  roomLists: RelayConfig['rooms']['configuredLists'],
): Promise<{ readonly line: string } | { readonly warning: string }> {
  const configured = roomLists.filter(
    (list) => tenant.domains.length === 0 || tenant.domains.includes(domainOf(list.address) ?? ''),
  ).length;
  if (configured > 0) {
    return { line: `Room lists: ${configured} from ROOM_LISTS (Graph places not asked)` };
  }
  const endpoint = tenant.graph.endpoint;
  if (!placesAvailableAt(endpoint)) {
    return {
      warning: `${endpoint} is a national cloud without Graph places: GetRoomLists answers no room lists unless ROOM_LISTS lists them`,
    };
  }
  const verdict = judgePlacesCall(
    await client.getPlaces(
      '/places/microsoft.graph.roomlist?$top=100',
      AbortSignal.timeout(GRAPH_TIMEOUT_MS),
    ),
  );
  return verdict.ok ? { line: `Microsoft Graph ${verdict.detail}` } : { warning: verdict.warning };
}
