import { defineHandler } from '../http/kernel.ts';
import { timeOrderedId } from '../domain/ids.ts';
import { WEBHOOK_TEST_EVENT } from '../events/webhook-events.ts';
import { enqueueDeliveries } from '../events/webhook-queue.ts';
import { getWebhook } from '../storage/webhooks/webhooks.ts';
import { recordDelivery } from '../storage/webhooks/webhook-deliveries.ts';
import { webhookNotFound } from './webhook-view.ts';
import { deliveryView } from './list-webhook-deliveries.ts';
import { webhooks } from './operations.ts';

/**
 * POST /api/v1/webhooks/{id}/test — 202: a `WebhookTest` event, signed as every delivery is, is sent
 * to the webhook's URL once by the delivery worker (no retries; a disabled webhook too, to try a
 * receiver before enabling it again). Its outcome joins the delivery log under the answer's id,
 * marked `test`; it does not count towards the webhook's failures.
 */
export const handler = defineHandler(webhooks.testWebhook, async (request) => {
  const { tenantId, sub } = request.caller;
  const { id } = request.params;
  const webhook = await getWebhook(tenantId, id);
  if (!webhook) throw webhookNotFound(id);
  const eventId = timeOrderedId();
  const test = { actor: sub, correlationId: request.correlationId, eventTime: new Date().toISOString() };
  const delivery = await recordDelivery({ tenantId, webhookId: id, eventId, eventType: WEBHOOK_TEST_EVENT, test: true, status: 'pending' });
  await enqueueDeliveries([{ message: { tenantId, webhookId: id, eventId, eventType: WEBHOOK_TEST_EVENT, test, attempt: 1 } }]);
  return { status: 202, body: deliveryView(delivery) };
});
