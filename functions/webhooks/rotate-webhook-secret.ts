import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newWebhookSecret } from '../events/signing.ts';
import { changeWebhook, checkedSecret, webhookView } from './webhook-changes.ts';
import { webhooks } from './operations.ts';

/**
 * POST /api/v1/webhooks/{id}/rotate-secret — a new secret (or the caller's own), answered once;
 * the current one keeps signing beside it for `overlapHours` (24 by default; 0 ends it at once),
 * so receivers can move to the new one without missing a delivery. If-Match honoured.
 */
export const handler = defineHandler(webhooks.rotateWebhookSecret, (request) =>
  changeWebhook(
    request,
    (current) => {
      const overlapHours = request.body.overlapHours ?? 24;
      const secret = request.body.secret === undefined ? newWebhookSecret() : checkedSecret(request.body.secret);
      const { previousSecret: _p, previousSecretExpiresAt: _e, ...rest } = current;
      const record =
        overlapHours > 0
          ? { ...rest, secret, previousSecret: current.secret, previousSecretExpiresAt: new Date(Date.now() + overlapHours * 3_600_000).toISOString() }
          : { ...rest, secret };
      return { record, events: ['WebhookSecretRotated'] };
    },
    (webhook) => ({ status: 200, body: { ...webhookView(webhook), secret: webhook.secret }, headers: { etag: etag(webhook.version) } }),
  ),
);
