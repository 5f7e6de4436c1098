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
