import { planTokenRenewal } from './token-renewal';

const lease = (ttlSeconds: number, renewable = true, grantedTtlSeconds = ttlSeconds) => ({
  expires: true,
  ttlSeconds,
  renewable,
  grantedTtlSeconds,
});

describe('planTokenRenewal', () => {
  it('does nothing for a token without a TTL', () => {
    expect(
      planTokenRenewal(
        { expires: false, ttlSeconds: 0, renewable: false, grantedTtlSeconds: 0 },
        'token',
      ),
    ).toEqual({
      action: 'none',
    });
  });

  it('renews a renewable token when two thirds of its TTL have passed', () => {
    expect(planTokenRenewal(lease(3600), 'token')).toEqual({ action: 'renew', inMs: 2_400_000 });
    expect(planTokenRenewal(lease(3600), 'approle')).toEqual({ action: 'renew', inMs: 2_400_000 });
  });

  it('never renews sooner than a second apart', () => {
    expect(planTokenRenewal(lease(1, true, 1), 'token')).toEqual({ action: 'expires', inMs: 1000 });
    expect(planTokenRenewal(lease(2), 'token')).toEqual({ action: 'renew', inMs: 1333 });
  });

  it('logs in again (AppRole, Kubernetes) for a token that cannot be renewed or nears its max TTL', () => {
    expect(planTokenRenewal(lease(60, false), 'kubernetes')).toEqual({
      action: 'login',
      inMs: 40_000,
    });
    // Renewed to 20 s of an original 3600: the max TTL is near.
    expect(planTokenRenewal(lease(20, true, 3600), 'approle')).toEqual({
      action: 'login',
      inMs: 13_333,
    });
    // Already expiring: at once.
    expect(planTokenRenewal(lease(0, true, 3600), 'approle')).toEqual({ action: 'login', inMs: 0 });
  });

  it('can only warn about a VAULT_TOKEN that cannot be renewed', () => {
    expect(planTokenRenewal(lease(600, false), 'token')).toEqual({
      action: 'expires',
      inMs: 600_000,
    });
  });
});
