import { upstreamCallResultOf } from './graph-call-result';

describe('upstreamCallResultOf', () => {
  it('counts 429 and 503 as throttling, other statuses as HTTP errors', () => {
    expect(upstreamCallResultOf({ kind: 'httpError', status: 429, retryAfterMs: 1000 })).toBe(
      'throttled',
    );
    expect(upstreamCallResultOf({ kind: 'httpError', status: 503 })).toBe('throttled');
    expect(upstreamCallResultOf({ kind: 'httpError', status: 500 })).toBe('http_error');
    expect(upstreamCallResultOf({ kind: 'httpError', status: 403 })).toBe('http_error');
  });

  it('names every other ending', () => {
    expect(upstreamCallResultOf({ kind: 'answered', schedules: [] })).toBe('answered');
    expect(upstreamCallResultOf({ kind: 'network', detail: 'ECONNREFUSED' })).toBe('network');
    expect(upstreamCallResultOf({ kind: 'unreadable', status: 200, detail: 'x' })).toBe(
      'unreadable',
    );
    expect(upstreamCallResultOf({ kind: 'aborted' })).toBe('aborted');
    expect(upstreamCallResultOf({ kind: 'tokenFailed', rejected: true, detail: 'x' })).toBe(
      'token_failed',
    );
  });
});
