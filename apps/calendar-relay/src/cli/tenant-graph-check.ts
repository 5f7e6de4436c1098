import { DEFAULT_TENANT, tenantKey, type TenantSettings } from '@app/config';
import { GraphScheduleClient } from '@app/graph';
import { judgeScheduleCall, type GraphKeyName } from './schedule-permission';

/**
 * config-check's Microsoft Graph part for one tenant: an app-only token from the tenant's
 * authority, then one getSchedule call per address, anchored as the relay anchors (the
 * tenant's GRAPH_ANCHOR_MAILBOX when set, else the address itself). Each tenant has its own
 * client: its own credential, token cache and connections, as in the relay.
 */

const GRAPH_TIMEOUT_MS = 15_000;

export interface TenantGraphCheck {
  /** What was proven, for stdout. */
  readonly lines: readonly string[];
  /** Why the tenant fails; empty when it passes. */
  readonly failures: readonly string[];
}

export interface TenantGraphCheckOptions {
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
  readonly now: Date;
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
      return { lines: [], failures: [`no Microsoft Graph token: ${token.detail}`] };
    }
    const lines = ['Microsoft Graph token: OK'];
    if (addresses.length === 0) {
      const example = `someone@${tenant.domains[0] ?? '<domain>'}`;
      lines.push(
        `getSchedule: not tried (pass --address ${example} to prove the Calendars.ReadBasic.All permission)`,
      );
      return { lines, failures: [] };
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
    return { lines, failures };
  } finally {
    client.close();
  }
}
