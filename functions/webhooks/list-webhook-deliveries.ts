import { defineHandler } from '../http/kernel.ts';
import { getWebhook } from '../storage/webhooks/webhooks.ts';
import { listDeliveries, type Delivery } from '../storage/webhooks/webhook-deliveries.ts';
import { webhookNotFound } from './webhook-view.ts';
import { webhooks } from './operations.ts';

/** A delivery as the log shows it: where it stands and every attempt (not where its event is stored). */
export const deliveryView = ({ event: _event, ...view }: Delivery): Omit<Delivery, 'event'> => view;

/** GET /api/v1/webhooks/{id}/deliveries — the delivery log, newest first (limit ≤ 100, cursor); entries expire after WEBHOOK_LOG_DAYS. */
export const handler = defineHandler(webhooks.listWebhookDeliveries, async (request) => {
  const { limit } = request.query;
  const [webhook, page] = await Promise.all([
    getWebhook(request.caller.tenantId, request.params.id, { consistent: false }),
    listDeliveries(request.caller.tenantId, request.params.id, { limit, ...(request.query.cursor ? { cursor: request.query.cursor } : {}) }),
  ]);
  if (!webhook) throw webhookNotFound(request.params.id);
  const headers: Record<string, string> = page.next ? { 'x-next-cursor': page.next } : {};
  return { status: 200, body: page.deliveries.map(deliveryView), headers };
});
