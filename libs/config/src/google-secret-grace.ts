import type { LoggerService } from '@nestjs/common';
import type { RelayConfig } from './relay-config.schema';
import { tenantKey } from './tenant-keys';
import type { GoogleClientSettings } from './tenant-settings';

/**
 * Rotating a Google client secret without a window of failed logins: Google keeps presenting
 * the old secret at /token until its Interop settings are updated, so when a secret changes
 * and the operator has not named a previous one (GOOGLE_CLIENT_SECRET_PREVIOUS), the replaced
 * value stays accepted as `previousClientSecret` for GOOGLE_SECRET_GRACE_SECONDS. Per client:
 * the relay's own (GOOGLE_CLIENT_SECRET) and each tenant's own (TENANT_<NAME>_GOOGLE_CLIENT_SECRET),
 * each with its own grace. Pure, but for the GoogleSecretGracePeriod class at the end.
 */

export interface GoogleSecretGrace {
  /** The replaced secret, still accepted until `until`. */
  readonly secret: string;
  readonly until: Date;
}

/** The graces under way, by the client's secret key (GOOGLE_CLIENT_SECRET, TENANT_X_...). */
export type GoogleSecretGraces = ReadonlyMap<string, GoogleSecretGrace>;

export interface GraceInput {
  /** The configuration in force before this change (none at start-up). */
  readonly previous?: RelayConfig;
  /** The configuration just parsed from the sources. */
  readonly next: RelayConfig;
  readonly graces: GoogleSecretGraces;
  readonly now: Date;
  readonly graceSeconds: number;
}

export interface GraceResult {
  /** `next`, with `previousClientSecret` set on each client whose grace is under way. */
  readonly config: RelayConfig;
  readonly graces: GoogleSecretGraces;
}

/** Every Google client of a configuration, by its secret key. */
function clientsOf(config: RelayConfig): Map<string, GoogleClientSettings> {
  const clients = new Map([['GOOGLE_CLIENT_SECRET', config.google]]);
  for (const tenant of config.tenants) {
    if (tenant.google !== undefined) {
      clients.set(tenantKey(tenant.name, 'GOOGLE_CLIENT_SECRET'), tenant.google);
    }
  }
  return clients;
}

export function applyGoogleSecretGrace(input: GraceInput): GraceResult {
  const { previous, next, now, graceSeconds } = input;
  const before: ReadonlyMap<string, GoogleClientSettings> =
    previous === undefined ? new Map() : clientsOf(previous);
  const graces = new Map<string, GoogleSecretGrace>();
  const accepted = new Map<string, string>();
  for (const [key, client] of clientsOf(next)) {
    // An explicit previous secret is the operator's choice and ends any automatic grace.
    if (client.previousClientSecret !== undefined || graceSeconds <= 0) continue;
    let grace = input.graces.get(key);
    const old = before.get(key);
    if (old !== undefined && old.clientSecret !== client.clientSecret) {
      grace = { secret: old.clientSecret, until: new Date(now.getTime() + graceSeconds * 1000) };
    }
    if (grace === undefined || grace.until <= now || grace.secret === client.clientSecret) continue;
    graces.set(key, grace);
    accepted.set(key, grace.secret);
  }
  if (accepted.size === 0) return { config: next, graces };
  const graced = (key: string, client: GoogleClientSettings): GoogleClientSettings => {
    const secret = accepted.get(key);
    return secret === undefined ? client : { ...client, previousClientSecret: secret };
  };
  return {
    config: {
      ...next,
      google: graced('GOOGLE_CLIENT_SECRET', next.google),
      tenants: next.tenants.map((tenant) =>
        tenant.google === undefined || !accepted.has(tenantKey(tenant.name, 'GOOGLE_CLIENT_SECRET'))
          ? tenant
          : {
              ...tenant,
              google: graced(tenantKey(tenant.name, 'GOOGLE_CLIENT_SECRET'), tenant.google),
            },
      ),
    },
    graces,
  };
}

/**
 * The graces under way, kept between refreshes: what to publish for each newly parsed
 * configuration, and what to publish when a grace ends. Logs each start and end.
 */
export class GoogleSecretGracePeriod {
  private graces: GoogleSecretGraces = new Map();

  constructor(
    private readonly graceSeconds: number,
    private readonly logger: LoggerService,
  ) {}

  /** `parsed` as it is to be published, after `previous` was in force. */
  apply(previous: RelayConfig, parsed: RelayConfig, now: Date): RelayConfig {
    const result = this.run(previous, parsed, now);
    for (const [key, grace] of result.graces) {
      if (this.graces.get(key) !== grace) {
        this.logger.log(
          `${key} was rotated: the previous secret stays accepted until ${grace.until.toISOString()} (GOOGLE_SECRET_GRACE_SECONDS=${this.graceSeconds})`,
        );
      }
    }
    this.graces = result.graces;
    return result.config;
  }

  /** When the next grace under way ends; undefined when none is. */
  endsAt(): Date | undefined {
    const ends = [...this.graces.values()].map((g) => g.until.getTime());
    return ends.length === 0 ? undefined : new Date(Math.min(...ends));
  }

  /**
   * At `endsAt()`: the configuration to publish instead of `current` (built from `parsed`), or
   * undefined when nothing changes yet.
   */
  expire(current: RelayConfig, parsed: RelayConfig, now: Date): RelayConfig | undefined {
    const result = this.run(current, parsed, now);
    const ended = [...this.graces.keys()].filter((key) => !result.graces.has(key));
    this.graces = result.graces;
    if (ended.length === 0) return undefined;
    for (const key of ended) {
      const tenant = current.tenants.find((t) => tenantKey(t.name, 'GOOGLE_CLIENT_SECRET') === key);
      this.logger.log(
        tenant === undefined
          ? 'The previous Google client secret is no longer accepted (its grace period ended)'
          : `The previous Google client secret of tenant ${tenant.name} is no longer accepted (its grace period ended)`,
      );
    }
    return result.config;
  }

  private run(previous: RelayConfig, parsed: RelayConfig, now: Date): GraceResult {
    return applyGoogleSecretGrace({
      previous,
      next: parsed,
      graces: this.graces,
      now,
      graceSeconds: this.graceSeconds,
    });
  }
}
