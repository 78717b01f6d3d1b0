import { defineHandler } from '../http/kernel.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import type { Webhook } from '../storage/webhooks/webhooks.ts';
import { changeWebhook, checkedUrl, normalisedTypes } from './webhook-changes.ts';
import { webhooks } from './operations.ts';

/**
 * PATCH /api/v1/webhooks/{id} — url, eventTypes, description (null clears), enabled. Enabling a
 * disabled webhook, or giving it a new URL, forgets its past failures. If-Match honoured.
 */
export const handler = defineHandler(webhooks.updateWebhook, (request) =>
  changeWebhook(request, (current) => {
    const { url, eventTypes, description, enabled } = request.body;
    const next: Webhook = { ...current };
    if (url !== undefined) next.url = checkedUrl(url);
    if (eventTypes !== undefined) next.eventTypes = normalisedTypes(eventTypes);
    if (description === null) delete next.description;
    else if (description !== undefined) next.description = description;
    if (enabled === true && !current.enabled) {
      next.enabled = true;
      delete next.disabledReason;
      delete next.disabledAt;
    }
    if (enabled === false && current.enabled) {
      next.enabled = false;
      next.disabledReason = 'disabled by a user';
      next.disabledAt = new Date().toISOString();
    }
    if (jsonEqual(current, next)) return { record: current, events: [] };
    return { record: next, events: ['WebhookUpdated'] };
  }),
);
