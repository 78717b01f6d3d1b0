import { listWebhooks, type Webhook } from '../storage/webhooks.ts';

/**
 * The tenant's webhooks as the dispatcher and the delivery worker see them: read once per tenant
 * every WEBHOOK_CACHE_SECONDS (15; the local runtime 0) per function instance, so a busy tenant's
 * events do not all read its one webhook partition. A change of a webhook reaches deliveries
 * within that time.
 */
const cacheMs = (): number => Number(process.env.WEBHOOK_CACHE_SECONDS ?? 15) * 1000;
const cached = new Map<string, { at: number; webhooks: Promise<Webhook[]> }>();

export const tenantWebhooks = (tenantId: string, now = Date.now()): Promise<Webhook[]> => {
  const hit = cached.get(tenantId);
  if (hit && now - hit.at < cacheMs()) return hit.webhooks;
  const webhooks = listWebhooks(tenantId);
  cached.set(tenantId, { at: now, webhooks });
  // A failed read is not kept.
  webhooks.catch(() => cached.delete(tenantId));
  if (cached.size > 10_000) cached.delete(cached.keys().next().value!);
  return webhooks;
};

/** Forgets what is known of a tenant's webhooks (after the worker changed one). */
export const forgetTenantWebhooks = (tenantId: string): void => {
  cached.delete(tenantId);
};
