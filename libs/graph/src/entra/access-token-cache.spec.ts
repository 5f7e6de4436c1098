import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { AccessTokenCache } from './access-token-cache';

const MINUTE = 60_000;

/** A credential that hands out numbered tokens living `lifetimeMs`, answering when told to. */
function fakeCredential(clock: { now: number }, lifetimeMs: number) {
  const calls: string[] = [];
  const waiting: Array<() => void> = [];
  let failNext: Error | undefined;
  const credential: TokenCredential = {
    getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
      calls.push(String(scopes));
      const n = calls.length;
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          if (failNext) {
            const error = failNext;
            failNext = undefined;
            reject(error);
          } else {
            resolve({ token: `token-${n}`, expiresOnTimestamp: clock.now + lifetimeMs });
          }
        });
      });
    },
  };
  return {
    credential,
    calls,
    answer: async () => {
      await Promise.resolve();
      waiting.splice(0).forEach((go) => go());
      await new Promise((r) => setImmediate(r));
    },
    failNextWith: (error: Error) => (failNext = error),
  };
}

describe('AccessTokenCache', () => {
  it('makes concurrent callers share one token request', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 60 * MINUTE);
    const cache = new AccessTokenCache(
      fake.credential,
      'https://graph/.default',
      5 * MINUTE,
      () => clock.now,
    );
    const tokens = Promise.all(Array.from({ length: 10 }, () => cache.getToken()));
    await fake.answer();
    expect(await tokens).toEqual(Array(10).fill('token-1'));
    expect(fake.calls).toEqual(['https://graph/.default']);
  });

  it('reuses the token until the refresh margin before expiry, then refreshes in the background', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 60 * MINUTE);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    const first = cache.getToken();
    await fake.answer();
    await first;
    clock.now = 54 * MINUTE;
    expect(await cache.getToken()).toBe('token-1');
    expect(fake.calls).toHaveLength(1);
    clock.now = 56 * MINUTE;
    // In the margin: the held token still answers, while a new one is fetched.
    expect(await cache.getToken()).toBe('token-1');
    expect(fake.calls).toHaveLength(2);
    await fake.answer();
    expect(await cache.getToken()).toBe('token-2');
  });

  it('waits for a new token once the held one is about to expire', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 10 * MINUTE);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    const first = cache.getToken();
    await fake.answer();
    await first;
    clock.now = 10 * MINUTE - 1_000;
    const next = cache.getToken();
    await fake.answer();
    expect(await next).toBe('token-2');
  });

  it('refreshes a short-lived token half-way through its life', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 4_000);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    const first = cache.getToken();
    await fake.answer();
    await first;
    clock.now = 1_999;
    await cache.getToken();
    expect(fake.calls).toHaveLength(1);
    clock.now = 2_000;
    await cache.getToken();
    expect(fake.calls).toHaveLength(2);
  });

  it('passes a failure to the waiting callers and tries again on the next call', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 60 * MINUTE);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    fake.failNextWith(new Error('invalid_client'));
    const failing = Promise.all([cache.getToken(), cache.getToken()]);
    const settled = failing.catch((e: Error) => e.message);
    await fake.answer();
    expect(await settled).toBe('invalid_client');
    const retry = cache.getToken();
    await fake.answer();
    expect(await retry).toBe('token-2');
  });

  it('lets a caller stop waiting when its signal aborts, without cancelling the shared fetch', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 60 * MINUTE);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    const controller = new AbortController();
    const impatient = cache.getToken(controller.signal);
    const patient = cache.getToken();
    controller.abort(new Error('deadline'));
    await expect(impatient).rejects.toThrow('deadline');
    await fake.answer();
    expect(await patient).toBe('token-1');
  });

  it('forgets a token Graph refused', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock, 60 * MINUTE);
    const cache = new AccessTokenCache(fake.credential, 's', 5 * MINUTE, () => clock.now);
    const first = cache.getToken();
    await fake.answer();
    cache.invalidate(await first);
    const second = cache.getToken();
    await fake.answer();
    expect(await second).toBe('token-2');
  });
});
