import type { AccessToken, TokenCredential } from '@azure/identity';
import { abortable } from '../abortable';

/**
 * One Graph token for all lookups. @azure/identity caches tokens, but only once one has
 * arrived: lookups that start together (the chunks of one request, a burst of requests) each
 * fetch their own, which the emulator's counter showed (3 concurrent getToken calls = 3 token
 * requests and 3 metadata reads). This cache makes every caller share one fetch, reuses the
 * token until shortly before it expires, and refreshes it in the background while it is still
 * good, so no lookup waits for Entra in steady state.
 */
export class AccessTokenCache {
  private held?: {
    readonly token: string;
    readonly refreshAtMs: number;
    readonly usableUntilMs: number;
  };
  private fetching?: Promise<string>;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly refreshMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token that is good now. Waits for Entra only when no usable token is held. */
  getToken(signal?: AbortSignal): Promise<string> {
    const now = this.now();
    const held = this.held;
    if (held !== undefined && now < held.refreshAtMs) return Promise.resolve(held.token);
    const fetching = this.fetch();
    if (held !== undefined && now < held.usableUntilMs) {
      // Still valid: answer with it and let the refresh finish in the background. A failed
      // background refresh is retried by the next caller.
      fetching.catch(() => undefined);
      return Promise.resolve(held.token);
    }
    return signal === undefined ? fetching : abortable(fetching, signal);
  }

  /** Forget a token Graph refused (revoked, or issued for a secret since rotated). */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private fetch(): Promise<string> {
    this.fetching ??= (async () => {
      try {
        const obtainedAtMs = this.now();
        const accessToken = await this.credential.getToken(this.scope);
        if (accessToken === null) throw new Error('the credential returned no token');
        this.held = this.timesOf(accessToken, obtainedAtMs);
        return accessToken.token;
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  private timesOf(accessToken: AccessToken, obtainedAtMs: number) {
    const expiresAtMs = accessToken.expiresOnTimestamp;
    const lifetimeMs = Math.max(0, expiresAtMs - obtainedAtMs);
    const refreshAtMs =
      accessToken.refreshAfterTimestamp ??
      expiresAtMs - Math.min(this.refreshMarginMs, lifetimeMs / 2);
    // Never send a token in its last moments: it could expire on the way to Graph.
    const usableUntilMs = expiresAtMs - Math.min(30_000, lifetimeMs / 10);
    return { token: accessToken.token, refreshAtMs, usableUntilMs };
  }
}
