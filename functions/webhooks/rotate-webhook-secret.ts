import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newWebhookSecret } from '../events/signing.ts';
import { sealSecret } from '../storage/table/sealed-secrets.ts';
import { webhookSecretOwner } from '../storage/webhooks/webhooks.ts';
import { changeWebhook, checkedSecret } from './webhook-changes.ts';
import { webhookView } from './webhook-view.ts';
import { webhooks } from './operations.ts';

/**
 * POST /api/v1/webhooks/{id}/rotate-secret — a new secret (or the caller's own), answered once and
 * stored sealed; the current one keeps signing beside it for `overlapHours` (24 by default; 0 ends
 * it at once), so receivers can move to the new one without missing a delivery. If-Match honoured.
 */
export const handler = defineHandler(webhooks.rotateWebhookSecret, async (request) => {
  const plain = request.body.secret === undefined ? newWebhookSecret() : checkedSecret(request.body.secret);
  return changeWebhook(
    request,
    async (current) => {
      const overlapHours = request.body.overlapHours ?? 24;
      const { previousSecret: _p, previousSecretExpiresAt: _e, ...rest } = current;
      const owner = webhookSecretOwner(current);
      const secret = await sealSecret(plain, owner);
      const record =
        overlapHours > 0
          ? {
              ...rest,
              secret,
              // The current secret moves as it is sealed (the same record); one written before secrets were sealed is sealed now.
              previousSecret: typeof current.secret === 'string' ? await sealSecret(current.secret, owner) : current.secret,
              previousSecretExpiresAt: new Date(Date.now() + overlapHours * 3_600_000).toISOString(),
            }
          : { ...rest, secret };
      return { record, events: ['WebhookSecretRotated'] };
    },
    (webhook) => ({ status: 200, body: { ...webhookView(webhook), secret: plain }, headers: { etag: etag(webhook.version) } }),
  );
});
