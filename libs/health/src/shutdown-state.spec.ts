import { Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

describe('ShutdownState', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('reports draining from the first shutdown hook on', () => {
    const state = new ShutdownState(0);
    expect(state.draining).toBe(false);
    state.onModuleDestroy();
    expect(state.draining).toBe(true);
  });

  it('holds the shutdown for the drain delay before Nest closes the listener', async () => {
    jest.useFakeTimers();
    const state = new ShutdownState(5000);
    let done = false;
    const waiting = state.beforeApplicationShutdown().then(() => (done = true));
    expect(state.draining).toBe(true);
    await jest.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  it('does not wait without a drain delay', async () => {
    const state = new ShutdownState(0);
    await state.beforeApplicationShutdown();
    expect(state.draining).toBe(true);
  });
});
