import { createHash, timingSafeEqual } from 'node:crypto';
import type { PresentedClient } from './token-request';

/**
 * Checking the credentials Google presents at /token against the configured ones. Pure.
 */

export interface ConfiguredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Still accepted while a rotation is under way (GOOGLE_CLIENT_SECRET_PREVIOUS). */
  readonly previousClientSecret?: string;
}

/** Which configured secret the client presented; undefined when authentication failed. */
export type MatchedSecret = 'current' | 'previous';

/**
 * Constant-time equality of two strings. Both sides are hashed first, so the comparison takes
 * the same time whatever the lengths and wherever the first difference is (timingSafeEqual
 * alone throws on different lengths, which would leak the secret's length).
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the presented client is the configured one, and with which secret. Every comparison
 * runs whatever the earlier ones found (no short-circuit), so the time taken says nothing about
 * which part was wrong.
 */
export function authenticateClient(
  presented: PresentedClient,
  configured: ConfiguredClient,
): MatchedSecret | undefined {
  let current = false;
  let previous = false;
  for (const spelling of presented.spellings) {
    const id = secretsEqual(spelling.clientId, configured.clientId);
    const currentSecret = secretsEqual(spelling.clientSecret, configured.clientSecret);
    // Compared against the current secret again when there is no previous one, to keep the
    // work constant; that comparison can never select "previous".
    const previousSecret =
      secretsEqual(
        spelling.clientSecret,
        configured.previousClientSecret ?? configured.clientSecret,
      ) && configured.previousClientSecret !== undefined;
    current = (id && currentSecret) || current;
    previous = (id && previousSecret) || previous;
  }
  if (current) return 'current';
  return previous ? 'previous' : undefined;
}

/** The configured client the presented credentials authenticate, and with which secret. */
export interface AuthenticatedClient<C extends ConfiguredClient> {
  readonly client: C;
  readonly secret: MatchedSecret;
}

/**
 * The one of `configured` (the global Google client and the tenants' own) that the presented
 * credentials authenticate. Every client is compared, whichever matched, so the time taken says
 * nothing about which client (or which part) was right; a current secret wins over a previous one.
 */
export function authenticateAmong<C extends ConfiguredClient>(
  presented: PresentedClient,
  configured: readonly C[],
): AuthenticatedClient<C> | undefined {
  let current: C | undefined;
  let previous: C | undefined;
  for (const client of configured) {
    const matched = authenticateClient(presented, client);
    if (matched === 'current') current ??= client;
    if (matched === 'previous') previous ??= client;
  }
  if (current !== undefined) return { client: current, secret: 'current' };
  return previous === undefined ? undefined : { client: previous, secret: 'previous' };
}

/**
 * The configured client whose id the presented credentials name (whatever the secret): the
 * brute-force limiter tracks those ids, and only those, so invented ids cost no memory.
 */
export function configuredClientNamed<C extends ConfiguredClient>(
  presented: PresentedClient,
  configured: readonly C[],
): C | undefined {
  return configured.find((client) =>
    presented.spellings.some((s) => secretsEqual(s.clientId, client.clientId)),
  );
}
