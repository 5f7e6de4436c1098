import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequestContext, requestContextOf, runInRequestContext } from './request-context';

const request = (id: string) => ({ id, ip: '203.0.113.9' });

describe('request context', () => {
  it('is one context per request: what the guard writes, the operation reads', () => {
    const first = request('req-1');
    requestContextOf(first).caller = {
      clientId: 'google',
      tokenId: 'jti-1',
      expiresAt: new Date(0),
    };
    expect(requestContextOf(first)).toEqual({
      requestId: 'req-1',
      clientIp: '203.0.113.9',
      caller: { clientId: 'google', tokenId: 'jti-1', expiresAt: new Date(0) },
    });
    // Another request with the same (caller-chosen) id shares nothing with it.
    expect(requestContextOf(request('req-1'))).toEqual({
      requestId: 'req-1',
      clientIp: '203.0.113.9',
    });
  });

  it('reaches code without the request in hand, across awaits, for concurrent requests apart', async () => {
    const seen: (string | undefined)[] = [];
    const lookUp = async (id: string, delayMs: number) => {
      const context = requestContextOf(request(id));
      await runInRequestContext(context, async () => {
        await sleep(delayMs);
        seen.push(currentRequestContext()?.requestId);
      });
    };
    await Promise.all([lookUp('slow', 20), lookUp('fast', 1)]);
    expect(seen).toEqual(['fast', 'slow']);
    expect(currentRequestContext()).toBeUndefined();
  });
});
