import { defineHandler } from '../http/kernel.ts';
import { conflict, notFound } from '../http/errors.ts';
import { getWebhook } from '../storage/webhooks/webhooks.ts';
import { claimRedelivery, getDelivery, SETTLED } from '../storage/webhooks/webhook-deliveries.ts';
import { enqueueDeliveries } from '../events/webhook-queue.ts';
import { webhookNotFound } from './webhook-view.ts';
import { deliveryView } from './list-webhook-deliveries.ts';
import { webhooks } from './operations.ts';

/**
 * POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — 202: the event is delivered again
 * (the same `webhook-id`, a fresh signature), from the first step of the retry schedule; its
 * attempts join the same log entry. 409 while the delivery is still under way.
 */
export const handler = defineHandler(webhooks.redeliverWebhookDelivery, async (request) => {
  const { tenantId } = request.caller;
  const { id, deliveryId } = request.params;
  const [webhook, logged] = await Promise.all([getWebhook(tenantId, id), getDelivery(tenantId, id, deliveryId)]);
  if (!webhook) throw webhookNotFound(id);
  const missing = () => notFound(`Webhook '${id}' has no delivery '${deliveryId}' (deliveries are kept for their log's retention).`);
  const busy = (status: string) => conflict(`Delivery '${deliveryId}' is still under way (${status}); redeliver it once it has settled.`);
  // Refused without a write; the claim's condition settles a race with another redelivery.
  if (!logged) throw missing();
  if (!SETTLED.includes(logged.status)) throw busy(logged.status);
  const claim = await claimRedelivery(tenantId, id, deliveryId);
  if ('refused' in claim) throw claim.refused === 'missing' ? missing() : busy(claim.status);
  const { delivery } = claim;
  const what = delivery.test
    ? // A test delivery is sent again as a test, made now for whoever asked.
      { test: { actor: request.caller.sub, correlationId: request.correlationId, eventTime: new Date().toISOString() } }
    : { event: delivery.event };
  await enqueueDeliveries([
    { message: { tenantId, webhookId: id, eventId: delivery.id, eventType: delivery.eventType, ...what, attempt: 1, redelivery: true } },
  ]);
  return { status: 202, body: deliveryView(delivery) };
});
