import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { getWebhook } from '../storage/webhooks/webhooks.ts';
import { webhookNotFound, webhookView } from './webhook-view.ts';
import { webhooks } from './operations.ts';

/** GET /api/v1/webhooks/{id} — the webhook, without its secrets; `failingSince` while its deliveries fail. */
export const handler = defineHandler(webhooks.getWebhook, async (request) => {
  const webhook = await getWebhook(request.caller.tenantId, request.params.id);
  if (!webhook) throw webhookNotFound(request.params.id);
  return { status: 200, body: webhookView(webhook), headers: { etag: etag(webhook.version) } };
});
