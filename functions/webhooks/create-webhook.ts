import { defineHandler, type Response } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { newId } from '../domain/ids.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { insertWebhook, webhookSecretOwner, type Webhook } from '../storage/webhooks/webhooks.ts';
import { isSealedSecret, openSecret, sealSecret, type SecretOwner } from '../storage/table/sealed-secrets.ts';
import { newWebhookSecret } from '../events/signing.ts';
import { checkedSecret, checkedUrl, newWebhookEvent, normalisedTypes } from './webhook-changes.ts';
import { webhookView } from './webhook-view.ts';
import { WEBHOOKS_PATH, webhooks } from './operations.ts';

/** Where the creation's answer keeps the secret for an `Idempotency-Key` replay: sealed for itself, apart from the webhook's. */
const replayOwner = (tenantId: string, id: string): SecretOwner => ({ tenantId, record: 'webhook-replay', id });

/**
 * POST /api/v1/webhooks — 201 with the webhook and its signing secret (shown only here, on a
 * replay of this answer, and on rotation). The webhook keeps the secret sealed; so does the answer
 * kept for an `Idempotency-Key` replay, which opens it again.
 */
export const handler = defineHandler(
  webhooks.createWebhook,
  async (request) => {
    const { url, eventTypes, description, enabled, secret } = request.body;
    const tenantId = request.caller.tenantId;
    const id = newId();
    const checked = checkedUrl(url);
    const plain = secret === undefined ? newWebhookSecret() : checkedSecret(secret);
    const [sealed, sealedForReplay] = await Promise.all([
      sealSecret(plain, webhookSecretOwner({ tenantId, id })),
      sealSecret(plain, replayOwner(tenantId, id)),
    ]);
    const webhook: Webhook = {
      id,
      tenantId,
      url: checked,
      eventTypes: normalisedTypes(eventTypes),
      ...(description === undefined ? {} : { description }),
      enabled: enabled ?? true,
      secret: sealed,
      ...newBookkeeping(request.caller.sub),
    };
    const answer = (shown: unknown): Response => ({
      status: 201,
      body: { ...webhookView(webhook), secret: shown },
      headers: { location: `${request.baseUrl}${WEBHOOKS_PATH}/${webhook.id}`, etag: etag(webhook.version) },
    });
    await insertWebhook(webhook, [newWebhookEvent(request, 'WebhookCreated', webhook, 1)], request.idempotency(answer(sealedForReplay)));
    return answer(plain);
  },
  {
    replayed: async (response, request) => {
      const body = response.body as { id: string; secret: unknown };
      if (!isSealedSecret(body.secret)) return response;
      return { ...response, body: { ...body, secret: await openSecret(body.secret, replayOwner(request.caller.tenantId, body.id)) } };
    },
  },
);
