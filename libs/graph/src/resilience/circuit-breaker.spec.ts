import { CircuitBreaker } from './circuit-breaker';

function breakerAt(startMs = 0) {
  let now = startMs;
  const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 10_000 }, () => now);
  return { breaker, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed through fewer consecutive failures than the threshold', () => {
    const { breaker } = breakerAt();
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens after the threshold and refuses calls until the open period has passed', () => {
    const { breaker, advance } = breakerAt();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.canRequest()).toBe(false);
    expect(breaker.tryAcquire()).toBe(false);
    advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state()).toBe('halfOpen');
  });

  it('lets exactly one probe through when half-open; its success closes the circuit', () => {
    const { breaker, advance } = breakerAt();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    advance(10_000);
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.canRequest()).toBe(false);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('re-opens for a full period when the probe fails', () => {
    const { breaker, advance } = breakerAt();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    advance(12_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    advance(9_000);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('frees the probe slot when the probe is abandoned without a verdict', () => {
    const { breaker, advance } = breakerAt();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    advance(10_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordAbandoned();
    expect(breaker.state()).toBe('halfOpen');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('is not extended by late failures of calls that started before it opened', () => {
    const { breaker, advance } = breakerAt();
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    advance(6_000);
    breaker.recordFailure();
    advance(4_000);
    expect(breaker.state()).toBe('halfOpen');
  });
});
