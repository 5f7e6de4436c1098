import { applyGoogleSecretGrace } from './google-secret-grace';
import type { RelayConfig } from './relay-config.schema';

const config = (clientSecret: string, previousClientSecret?: string): RelayConfig =>
  ({
    google: { clientId: 'google', clientSecret, previousClientSecret },
  }) as RelayConfig;

const now = new Date('2026-01-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe('applyGoogleSecretGrace', () => {
  it('keeps the replaced secret as the previous one for the grace period', () => {
    const result = applyGoogleSecretGrace({
      previous: config('old'),
      next: config('new'),
      now,
      graceSeconds: 3600,
    });
    expect(result.config.google).toEqual({
      clientId: 'google',
      clientSecret: 'new',
      previousClientSecret: 'old',
    });
    expect(result.grace).toEqual({ secret: 'old', until: later(3600) });
  });

  it('keeps the grace across unrelated changes, and ends it on time', () => {
    const grace = { secret: 'old', until: later(3600) };
    expect(
      applyGoogleSecretGrace({
        previous: config('new', 'old'),
        next: config('new'),
        grace,
        now: later(10),
        graceSeconds: 3600,
      }).config.google.previousClientSecret,
    ).toBe('old');
    const ended = applyGoogleSecretGrace({
      previous: config('new', 'old'),
      next: config('new'),
      grace,
      now: later(3600),
      graceSeconds: 3600,
    });
    expect(ended.config.google.previousClientSecret).toBeUndefined();
    expect(ended.grace).toBeUndefined();
  });

  it('restarts the grace with the latest replaced secret on a second rotation', () => {
    const grace = { secret: 'first', until: later(3600) };
    const result = applyGoogleSecretGrace({
      previous: config('second', 'first'),
      next: config('third'),
      grace,
      now: later(60),
      graceSeconds: 3600,
    });
    expect(result.config.google.previousClientSecret).toBe('second');
    expect(result.grace).toEqual({ secret: 'second', until: later(3660) });
  });

  it('leaves an explicitly configured previous secret alone, and does nothing when disabled', () => {
    expect(
      applyGoogleSecretGrace({
        previous: config('old'),
        next: config('new', 'explicit'),
        now,
        graceSeconds: 3600,
      }).config.google.previousClientSecret,
    ).toBe('explicit');
    expect(
      applyGoogleSecretGrace({ previous: config('old'), next: config('new'), now, graceSeconds: 0 })
        .config.google.previousClientSecret,
    ).toBeUndefined();
  });

  it('has nothing to keep at start-up, and drops a grace whose secret is back in force', () => {
    expect(
      applyGoogleSecretGrace({ next: config('s'), now, graceSeconds: 3600 }).grace,
    ).toBeUndefined();
    const back = applyGoogleSecretGrace({
      previous: config('old', 'old'),
      next: config('old'),
      grace: { secret: 'old', until: later(100) },
      now,
      graceSeconds: 3600,
    });
    expect(back.config.google.previousClientSecret).toBeUndefined();
  });
});
