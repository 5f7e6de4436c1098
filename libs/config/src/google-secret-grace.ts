import type { LoggerService } from '@nestjs/common';
import type { RelayConfig } from './relay-config.schema';

/**
 * Rotating the Google client secret without a window of failed logins: Google keeps presenting
 * the old secret at /token until its Interop settings are updated, so when the secret changes
 * and the operator has not named a previous one (GOOGLE_CLIENT_SECRET_PREVIOUS), the replaced
 * value stays accepted as `previousClientSecret` for GOOGLE_SECRET_GRACE_SECONDS. Pure.
 */

export interface GoogleSecretGrace {
  /** The replaced secret, still accepted until `until`. */
  readonly secret: string;
  readonly until: Date;
}

export interface GraceInput {
  /** The configuration in force before this change (none at start-up). */
  readonly previous?: RelayConfig;
  /** The configuration just parsed from the sources. */
  readonly next: RelayConfig;
  /** The grace under way, if any. */
  readonly grace?: GoogleSecretGrace;
  readonly now: Date;
  readonly graceSeconds: number;
}

export interface GraceResult {
  /** `next`, with `google.previousClientSecret` set while a grace is under way. */
  readonly config: RelayConfig;
  readonly grace?: GoogleSecretGrace;
}

export function applyGoogleSecretGrace(input: GraceInput): GraceResult {
  const { previous, next, now, graceSeconds } = input;
  // An explicit previous secret is the operator's choice and ends any automatic grace.
  if (next.google.previousClientSecret !== undefined || graceSeconds <= 0) return { config: next };

  let grace = input.grace;
  if (previous !== undefined && previous.google.clientSecret !== next.google.clientSecret) {
    grace = {
      secret: previous.google.clientSecret,
      until: new Date(now.getTime() + graceSeconds * 1000),
    };
  }
  if (grace === undefined || grace.until <= now || grace.secret === next.google.clientSecret) {
    return { config: next };
  }
  return {
    config: { ...next, google: { ...next.google, previousClientSecret: grace.secret } },
    grace,
  };
}

/**
 * The grace under way, kept between refreshes: what to publish for each newly parsed
 * configuration, and what to publish when the grace ends. Logs the start and the end.
 */
export class GoogleSecretGracePeriod {
  private grace?: GoogleSecretGrace;

  constructor(
    private readonly graceSeconds: number,
    private readonly logger: LoggerService,
  ) {}

  /** `parsed` as it is to be published, after `previous` was in force. */
  apply(previous: RelayConfig, parsed: RelayConfig, now: Date): RelayConfig {
    const result = applyGoogleSecretGrace({
      previous,
      next: parsed,
      grace: this.grace,
      now,
      graceSeconds: this.graceSeconds,
    });
    const started = result.grace !== undefined && result.grace !== this.grace;
    this.grace = result.grace;
    if (started && result.grace !== undefined) {
      this.logger.log(
        `GOOGLE_CLIENT_SECRET was rotated: the previous secret stays accepted until ${result.grace.until.toISOString()} (GOOGLE_SECRET_GRACE_SECONDS=${this.graceSeconds})`,
      );
    }
    return result.config;
  }

  /** When the grace under way ends; undefined when none is. */
  endsAt(): Date | undefined {
    return this.grace?.until;
  }

  /**
   * At `endsAt()`: the configuration to publish instead of `current` (built from `parsed`), or
   * undefined when nothing changes yet.
   */
  expire(current: RelayConfig, parsed: RelayConfig, now: Date): RelayConfig | undefined {
    const result = applyGoogleSecretGrace({
      previous: current,
      next: parsed,
      grace: this.grace,
      now,
      graceSeconds: this.graceSeconds,
    });
    this.grace = result.grace;
    if (
      result.grace !== undefined ||
      current.google.previousClientSecret === result.config.google.previousClientSecret
    ) {
      return undefined;
    }
    this.logger.log(
      'The previous Google client secret is no longer accepted (its grace period ended)',
    );
    return result.config;
  }
}
