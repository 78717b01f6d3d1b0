import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { shutdownOf, STOP_DEADLINE_MS } from '../../lib/local/shutdown.ts';

const runtimeWhoseStop = (stopped: Promise<void>) => ({ stop: vi.fn(() => stopped), kill: vi.fn() });
const quiet = () => ({ exit: vi.fn(), print: vi.fn(), printError: vi.fn() });

describe('stopping the local runtime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops once however often it is asked, and exits with the first reason’s code', async () => {
    const runtime = runtimeWhoseStop(Promise.resolve());
    const host = quiet();
    const shutdown = shutdownOf(runtime, host);
    shutdown.stop('SIGTERM', 0);
    shutdown.stop('SIGINT', 0);
    shutdown.fail('uncaught exception', new Error('late'));
    await vi.runAllTimersAsync();
    expect(runtime.stop).toHaveBeenCalledTimes(1);
    expect(runtime.kill).not.toHaveBeenCalled();
    expect(host.exit.mock.calls).toEqual([[0]]);
  });

  it('kills DynamoDB Local and exits anyway when a part does not stop', async () => {
    const runtime = runtimeWhoseStop(new Promise<void>(() => undefined));
    const host = quiet();
    shutdownOf(runtime, host).stop('SIGTERM', 0);
    await vi.advanceTimersByTimeAsync(STOP_DEADLINE_MS - 1);
    expect(host.exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.kill).toHaveBeenCalledTimes(1);
    expect(host.exit.mock.calls).toEqual([[0]]);
  });

  it('exits when stopping fails', async () => {
    const runtime = runtimeWhoseStop(Promise.reject(new Error('stuck')));
    const host = quiet();
    shutdownOf(runtime, host).stop('SIGINT', 0);
    await vi.runAllTimersAsync();
    expect(host.exit.mock.calls).toEqual([[0]]);
  });

  it('reports an unhandled error and stops with exit code 1, even when the error cannot be rendered', async () => {
    const runtime = runtimeWhoseStop(Promise.resolve());
    const host = quiet();
    const shutdown = shutdownOf(runtime, host);
    const unrenderable = new Error('broken');
    Object.defineProperty(unrenderable, 'stack', {
      get: () => {
        throw new Error('no stack');
      },
    });
    expect(() => shutdown.fail('uncaught exception', unrenderable)).not.toThrow();
    expect(() => shutdown.fail('unhandled rejection', 'a reason')).not.toThrow();
    await vi.runAllTimersAsync();
    expect(runtime.stop).toHaveBeenCalledTimes(1);
    expect(host.exit.mock.calls).toEqual([[1]]);
    expect(host.printError).toHaveBeenCalledWith('unhandled rejection: a reason');
  });
});
