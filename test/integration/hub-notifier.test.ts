/**
 * The TMF hub notifier reads a tenant's registrations as the webhook dispatcher reads webhooks:
 * once per tenant per function instance for HUB_CACHE_SECONDS, not once per event, so a busy
 * tenant's events do not all read its one registration partition; a registration made meanwhile
 * is notified once that time is over.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ALLOW_LOOPBACK_CALLBACKS = 'true';
  process.env.HUB_CACHE_SECONDS = '15';
});

import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import * as registerListener from '../../functions/tmf629/register-listener.ts';
import * as unregisterListener from '../../functions/tmf629/unregister-listener.ts';
import { tmf629 } from '../../functions/tmf629/operations.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { startListener } from '../support/http.ts';
import { notifyTmfEvent } from '../support/tmf-notifier.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the TMF hub notifier', () => {
  it('reads a tenant’s registrations once for many of its events, and sees a change once the cache’s time is over', async () => {
    const tenant = uniqueTenant();
    const [first, second, later] = await Promise.all([startListener(), startListener(), startListener()]);
    try {
      for (const listener of [first, second])
        expect((await call(registerListener.handler, tmf629.registerListener, { tenant, body: { callback: listener.url } })).status).toBe(201);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });

      const events = 12;
      const requests = await recordRequests(async () => {
        for (let i = 0; i < events; i++) expect(await notifyTmfEvent(tenant, `c${i}`)).toMatchObject({ delivered: 2, failed: 0 });
      });
      const partition = keys.subscriptions(tenant);
      expect(requests.filter((r) => r.key.includes(partition)).map((r) => r.command)).toEqual(['QueryCommand']);
      expect([first.received.length, second.received.length]).toEqual([events, events]);

      // A registration made now is not seen within the cache's time, and is once it is over.
      const made = await call(registerListener.handler, tmf629.registerListener, { tenant, body: { callback: later.url } });
      vi.advanceTimersByTime(14_000);
      expect(await notifyTmfEvent(tenant, 'c-within')).toMatchObject({ delivered: 2 });
      vi.advanceTimersByTime(1_000);
      expect(await notifyTmfEvent(tenant, 'c-after')).toMatchObject({ delivered: 3 });
      expect(later.received.map((n) => n.body.event.customer.id)).toEqual(['c-after']);
      // So is one deleted.
      expect((await call(unregisterListener.handler, tmf629.unregisterListener, { tenant, params: { id: made.body.id } })).status).toBe(204);
      vi.advanceTimersByTime(15_000);
      expect(await notifyTmfEvent(tenant, 'c-gone')).toMatchObject({ delivered: 2 });
    } finally {
      await Promise.all([first.close(), second.close(), later.close()]);
    }
  });

  it('reads each tenant’s registrations apart: one tenant’s cache is not another’s', async () => {
    const [a, b] = [uniqueTenant(), uniqueTenant()];
    const listener = await startListener();
    try {
      await call(registerListener.handler, tmf629.registerListener, { tenant: a, body: { callback: listener.url } });
      const requests = await recordRequests(async () => {
        expect(await notifyTmfEvent(a, 'x')).toMatchObject({ delivered: 1 });
        expect(await notifyTmfEvent(b, 'y')).toMatchObject({ delivered: 0 });
        expect(await notifyTmfEvent(a, 'z')).toMatchObject({ delivered: 1 });
      });
      expect(requests.filter((r) => r.command === 'QueryCommand')).toHaveLength(2);
    } finally {
      await listener.close();
    }
  });
});
