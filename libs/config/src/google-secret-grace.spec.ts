import { applyGoogleSecretGrace, type GoogleSecretGraces } from './google-secret-grace';
import { parseRelayConfig, type RelayConfig } from './relay-config.schema';

const TENANT = {
  TENANTS: 'contoso',
  TENANT_CONTOSO_DOMAINS: 'contoso.com',
  TENANT_CONTOSO_GRAPH_CLIENT_ID: 'app',
  TENANT_CONTOSO_GRAPH_CLIENT_SECRET: 'graph',
  TENANT_CONTOSO_GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  TENANT_CONTOSO_GOOGLE_CLIENT_ID: 'google-contoso',
};

const config = (
  clientSecret: string,
  previousClientSecret?: string,
  tenantSecret?: string,
): RelayConfig =>
  parseRelayConfig({
    GOOGLE_CLIENT_ID: 'google',
    GOOGLE_CLIENT_SECRET: clientSecret,
    GOOGLE_CLIENT_SECRET_PREVIOUS: previousClientSecret,
    ...(tenantSecret === undefined
      ? {}
      : { ...TENANT, TENANT_CONTOSO_GOOGLE_CLIENT_SECRET: tenantSecret }),
  });

const NONE: GoogleSecretGraces = new Map();
const now = new Date('2026-01-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);
const grace = (secret: string, until: Date): GoogleSecretGraces =>
  new Map([['GOOGLE_CLIENT_SECRET', { secret, until }]]);

describe('applyGoogleSecretGrace', () => {
  it('keeps the replaced secret as the previous one for the grace period', () => {
    const result = applyGoogleSecretGrace({
      previous: config('old'),
      next: config('new'),
      graces: NONE,
      now,
      graceSeconds: 3600,
    });
    expect(result.config.google).toEqual({
      clientId: 'google',
      clientSecret: 'new',
      previousClientSecret: 'old',
    });
    expect(result.graces).toEqual(grace('old', later(3600)));
  });

  it('keeps the grace across unrelated changes, and ends it on time', () => {
    const graces = grace('old', later(3600));
    expect(
      applyGoogleSecretGrace({
        previous: config('new', 'old'),
        next: config('new'),
        graces,
        now: later(10),
        graceSeconds: 3600,
      }).config.google.previousClientSecret,
    ).toBe('old');
    const ended = applyGoogleSecretGrace({
      previous: config('new', 'old'),
      next: config('new'),
      graces,
      now: later(3600),
      graceSeconds: 3600,
    });
    expect(ended.config.google.previousClientSecret).toBeUndefined();
    expect(ended.graces.size).toBe(0);
  });

  it('restarts the grace with the latest replaced secret on a second rotation', () => {
    const result = applyGoogleSecretGrace({
      previous: config('second', 'first'),
      next: config('third'),
      graces: grace('first', later(3600)),
      now: later(60),
      graceSeconds: 3600,
    });
    expect(result.config.google.previousClientSecret).toBe('second');
    expect(result.graces).toEqual(grace('second', later(3660)));
  });

  it('leaves an explicitly configured previous secret alone, and does nothing when disabled', () => {
    expect(
      applyGoogleSecretGrace({
        previous: config('old'),
        next: config('new', 'explicit'),
        graces: NONE,
        now,
        graceSeconds: 3600,
      }).config.google.previousClientSecret,
    ).toBe('explicit');
    expect(
      applyGoogleSecretGrace({
        previous: config('old'),
        next: config('new'),
        graces: NONE,
        now,
        graceSeconds: 0,
      }).config.google.previousClientSecret,
    ).toBeUndefined();
  });

  it('has nothing to keep at start-up, and drops a grace whose secret is back in force', () => {
    expect(
      applyGoogleSecretGrace({ next: config('s'), graces: NONE, now, graceSeconds: 3600 }).graces
        .size,
    ).toBe(0);
    const back = applyGoogleSecretGrace({
      previous: config('old', 'old'),
      next: config('old'),
      graces: grace('old', later(100)),
      now,
      graceSeconds: 3600,
    });
    expect(back.config.google.previousClientSecret).toBeUndefined();
  });

  it("gives a tenant's own Google client a grace of its own, leaving the relay's client alone", () => {
    const next = config('relay', undefined, 'tenant-new');
    const result = applyGoogleSecretGrace({
      previous: config('relay', undefined, 'tenant-old'),
      next,
      graces: NONE,
      now,
      graceSeconds: 60,
    });
    expect(result.config.tenants[0].google).toEqual({
      clientId: 'google-contoso',
      clientSecret: 'tenant-new',
      previousClientSecret: 'tenant-old',
    });
    expect(result.config.google).toBe(next.google);
    expect([...result.graces.keys()]).toEqual(['TENANT_CONTOSO_GOOGLE_CLIENT_SECRET']);
  });
});
