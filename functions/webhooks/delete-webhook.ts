import { defineHandler } from '../http/kernel.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { deleteWebhook, getWebhook } from '../storage/webhooks/webhooks.ts';
import { changedBookkeeping } from '../storage/table/bookkeeping.ts';
import { newWebhookEvent } from './webhook-changes.ts';
import { webhookNotFound } from './webhook-view.ts';
import { webhooks } from './operations.ts';

/** DELETE /api/v1/webhooks/{id} — 204; deliveries still queued for it stop. If-Match honoured. */
export const handler = defineHandler(webhooks.deleteWebhook, (request) =>
  withOptimisticRetry(async () => {
    const current = await getWebhook(request.caller.tenantId, request.params.id);
    if (!current) throw webhookNotFound(request.params.id);
    checkIfMatch(request.headers, current.version);
    const last = { ...current, ...changedBookkeeping(current, 1, request.caller.sub) };
    await deleteWebhook(current, [newWebhookEvent(request, 'WebhookDeleted', last, last.sequence)]);
    return { status: 204 };
  }),
);
