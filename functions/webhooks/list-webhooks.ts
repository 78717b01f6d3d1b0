import { defineHandler } from '../http/kernel.ts';
import { listWebhooks } from '../storage/webhooks/webhooks.ts';
import { webhookView } from './webhook-view.ts';
import { webhooks } from './operations.ts';

/** GET /api/v1/webhooks — every webhook of the tenant (at most 100: one Query), oldest first. */
export const handler = defineHandler(webhooks.listWebhooks, async (request) => {
  const all = await listWebhooks(request.caller.tenantId);
  return { status: 200, body: all.sort((a, b) => a.created.localeCompare(b.created)).map((w) => webhookView(w)) };
});
