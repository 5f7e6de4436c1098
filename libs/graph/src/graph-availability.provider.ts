import { Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import {
  AvailabilityProvider,
  UpstreamMisconfiguredError,
  UpstreamObserver,
  type AvailabilityQuery,
  type AvailabilityResult,
  type ReadinessReport,
  type TenantRoute,
} from '@app/availability';
import { RelayConfigStore, type GraphSettings, type RelayConfig } from '@app/config';
import { RelayTracing } from '@app/tracing';
import { GRAPH_LIMITS } from './graph-limits';
import { GraphTenant } from './lookup/graph-tenant';
import { KeepAliveHttpsTransport } from './transport/keep-alive-https-transport';

/** LOG_LEVEL values at which debug lines are written. */
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

/** A tenant as the Graph provider serves it: its routing and its app's settings. */
export type GraphTenantSettings = TenantRoute & { readonly graph: GraphSettings };

/**
 * The tenants of a configuration: TENANTS, or the one tenant `default` of the single-tenant keys
 * (domains = ALLOWED_DOMAINS, none listed: every domain); none without a Microsoft tenant.
 */
export function graphTenantsOf(config: RelayConfig): readonly GraphTenantSettings[] {
  return config.tenants;
}

/**
 * The AvailabilityProvider backed by Microsoft Graph getSchedule (docs/protocol.md section 6):
 * one GraphTenant per configured tenant (its own app, token, limits, breaker and cache), each
 * lookup handed to the tenant it was routed to. Settings that a Vault refresh changes reach the
 * tenant they belong to, and only that one.
 */
@Injectable()
export class GraphAvailabilityProvider extends AvailabilityProvider implements OnModuleDestroy {
  readonly name = 'graph';
  private readonly logger = new Logger(GraphAvailabilityProvider.name);
  private readonly tenants = new Map<string, GraphTenant>();
  private routesOfTenants: readonly TenantRoute[] = [];
  /** Shared by every tenant: kept-alive sockets to Graph outlive credential rotations. */
  private readonly transport = new KeepAliveHttpsTransport();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: RelayConfigStore,
    @Optional() private readonly tracing?: RelayTracing,
    @Optional() private readonly observer?: UpstreamObserver,
  ) {
    super();
    this.useTenants(graphTenantsOf(store.current()), store.current());
    this.unsubscribe = store.onChange((next) => this.useTenants(graphTenantsOf(next), next));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    for (const tenant of this.tenants.values()) tenant.close();
    this.transport.destroy();
  }

  routes(): readonly TenantRoute[] {
    return this.routesOfTenants;
  }

  /** The tenant of that name, as configured now (the room directory reads through it). */
  tenantNamed(name: string): GraphTenant | undefined {
    return this.tenants.get(name);
  }

  async lookup(query: AvailabilityQuery): Promise<AvailabilityResult> {
    const tenant = this.tenants.get(query.tenant);
    if (tenant === undefined) {
      throw new UpstreamMisconfiguredError(
        `Microsoft Graph is not configured for tenant ${query.tenant}`,
      );
    }
    try {
      return await tenant.lookup(query);
    } catch (error) {
      if (error instanceof UpstreamMisconfiguredError) {
        // Loud: no lookup of this tenant can succeed until an operator fixes its app or secret.
        this.logger.error(
          `Microsoft Graph refused the relay${this.tenants.size > 1 ? ` for tenant ${tenant.name}` : ''}: ${error.message}. Check ${keysOf(tenant.name)} and that the app has the Calendars.ReadBasic.All application permission with admin consent (or an RBAC for Applications role assignment)${query.requestId !== undefined ? ` [request ${query.requestId}]` : ''}`,
        );
        this.rereadSecrets(tenant.name, 'Microsoft Graph refused the relay');
      }
      throw error;
    }
  }

  /** Ready while any tenant can get a Graph token; each tenant's verdict in `tenants`. */
  async checkReadiness(): Promise<ReadinessReport> {
    if (this.tenants.size === 0) {
      return { ready: false, detail: 'Microsoft Graph is not configured' };
    }
    const reports = await Promise.all(
      [...this.tenants.values()].map(async (tenant) => {
        const report = await tenant.checkReadiness();
        if (!report.ready) this.rereadSecrets(tenant.name, 'no Graph token could be had');
        return { tenant: tenant.name, ...report };
      }),
    );
    if (reports.length === 1) {
      const [only] = reports;
      return only.detail === undefined
        ? { ready: only.ready }
        : { ready: only.ready, detail: only.detail };
    }
    const failing = reports.filter((r) => !r.ready).map((r) => r.tenant);
    return {
      ready: failing.length < reports.length,
      ...(failing.length > 0
        ? { detail: `no Graph token for tenant(s) ${failing.join(', ')}` }
        : {}),
      tenants: reports,
    };
  }

  /** Builds, updates or closes tenants to match a configuration; unchanged ones stay as they are. */
  private useTenants(wanted: readonly GraphTenantSettings[], config: RelayConfig): void {
    const names = new Set(wanted.map((t) => t.name));
    for (const [name, tenant] of this.tenants) {
      if (!names.has(name)) {
        tenant.close();
        this.tenants.delete(name);
      }
    }
    for (const settings of wanted) {
      const existing = this.tenants.get(settings.name);
      if (existing === undefined) {
        this.tenants.set(
          settings.name,
          new GraphTenant(settings.name, settings.graph, {
            limits: GRAPH_LIMITS,
            transport: this.transport,
            tracing: this.tracing,
            observer: this.observer,
            logsDebug: DEBUG_LEVELS.has(config.logLevel),
          }),
        );
      } else {
        existing.update(settings.graph);
      }
    }
    this.routesOfTenants = wanted.map(({ name, domains, eventDetails }) => ({
      name,
      domains,
      eventDetails,
    }));
  }

  /**
   * The credentials failed: perhaps they were rotated in Entra and Vault already has the new
   * ones. Re-reads the secret source at once instead of at the next periodic refresh (the store
   * spaces such reads at least a second apart and never rejects); a changed GRAPH_* key reaches
   * the tenant through RelayConfigStore.onChange.
   */
  private rereadSecrets(tenant: string, why: string): void {
    void this.store.refreshNow({ tenant }).then(({ changedKeys }) => {
      const graphKeys = changedKeys.filter(
        (k) => k.startsWith('GRAPH_') || k.startsWith('TENANT_'),
      );
      if (graphKeys.length > 0) {
        this.logger.log(
          `${why} (tenant ${tenant}); re-read the secrets: ${graphKeys.join(', ')} changed, the next lookup uses them`,
        );
      }
    });
  }
}

function keysOf(tenant: string): string {
  const prefix = tenant === 'default' ? '' : `TENANT_${tenant.toUpperCase().replace(/-/g, '_')}_`;
  return `${prefix}GRAPH_CLIENT_ID/${prefix}GRAPH_CLIENT_SECRET/${prefix}GRAPH_AUTHORITY`;
}
