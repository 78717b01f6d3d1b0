import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../storage/ids.ts';
import { newBookkeeping } from '../storage/bookkeeping.ts';
import { insertWebhook, type Webhook } from '../storage/webhooks.ts';
import { newWebhookSecret } from '../events/signing.ts';
import { checkedSecret, checkedUrl, newWebhookEvent, normalisedTypes, webhookView } from './webhook-changes.ts';
import { WEBHOOKS_PATH, webhooks } from './operations.ts';

/** POST /api/v1/webhooks — 201 with the webhook and its signing secret (shown only here and on rotation). */
export const handler = defineHandler(webhooks.createWebhook, async (request) => {
  const { url, eventTypes, description, enabled, secret } = request.body;
  const webhook: Webhook = {
    id: newId(),
    tenantId: request.caller.tenantId,
    url: checkedUrl(url),
    eventTypes: normalisedTypes(eventTypes),
    ...(description === undefined ? {} : { description }),
    enabled: enabled ?? true,
    secret: secret === undefined ? newWebhookSecret() : checkedSecret(secret),
    ...newBookkeeping(request.caller.sub),
  };
  const response = {
    status: 201,
    body: { ...webhookView(webhook), secret: webhook.secret },
    headers: { location: `${request.baseUrl}${WEBHOOKS_PATH}/${webhook.id}`, etag: etag(webhook.version) },
  };
  await insertWebhook(webhook, [newWebhookEvent(request, 'WebhookCreated', webhook, 1)], request.idempotency(response));
  return response;
});
