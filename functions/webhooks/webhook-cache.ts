import { instanceCache } from '../storage/table/instance-cache.ts';
import { listWebhooks, type Webhook } from '../storage/webhooks/webhooks.ts';

/**
 * The tenant's webhooks as the dispatcher and the delivery worker see them: read once per tenant
 * every WEBHOOK_CACHE_SECONDS (15; the local runtime 0) per function instance, so a busy tenant's
 * events do not all read its one webhook partition. A change of a webhook reaches deliveries
 * within that time.
 */
const webhooks = instanceCache(listWebhooks, { ttlMs: () => Number(process.env.WEBHOOK_CACHE_SECONDS ?? 15) * 1000 });

export const tenantWebhooks = (tenantId: string, now = Date.now()): Promise<Webhook[]> => webhooks.get(tenantId, now);

/** Forgets what is known of a tenant's webhooks (after the worker changed one). */
export const forgetTenantWebhooks = (tenantId: string): void => webhooks.forget(tenantId);
