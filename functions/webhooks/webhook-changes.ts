import type { Request, Response } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { etag } from '../http/preconditions.ts';
import { changeVersioned, loaded, type Decision } from '../http/versioned-change.ts';
import { checkCallbackUrl } from '../domain/callback-url.ts';
import { checkWebhookSecret } from '../domain/webhook-secret.ts';
import { webhookEvent, type WebhookEventType } from '../events/webhook-events.ts';
import { changedBookkeeping } from '../storage/table/bookkeeping.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { getWebhook, replaceWebhook, type Webhook } from '../storage/webhooks/webhooks.ts';
import { webhookNotFound, webhookView } from './webhook-view.ts';

const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

/** A URL a webhook may deliver to: https to a public address (loopback http only in the local runtime); 400 otherwise. */
export const checkedUrl = (url: string): string => {
  const verdict = checkCallbackUrl(url, allowLoopback);
  if (!verdict.ok) throw badRequest(`url refused: ${verdict.reason}.`);
  return url;
};

/** A secret the caller chose, checked (400 when it is not a Standard Webhooks secret). */
export const checkedSecret = (secret: string): string => {
  const problem = checkWebhookSecret(secret);
  if (problem) throw badRequest(`secret: ${problem}.`);
  return secret;
};

/** Event types as stored: `*` alone when it is among them, otherwise each once. */
export const normalisedTypes = (types: readonly string[]): string[] => (types.includes('*') ? ['*'] : [...new Set(types)].sort());

export const newWebhookEvent = (
  request: Request<unknown>,
  eventType: WebhookEventType,
  webhook: Webhook,
  sequence: number,
  extra: Record<string, unknown> = {},
) =>
  webhookEvent({
    eventType,
    tenantId: webhook.tenantId,
    webhookId: webhook.id,
    sequence,
    actor: request.caller.sub,
    correlationId: request.correlationId,
    data: { webhook: webhookView(webhook), ...extra },
  });

/**
 * A change of a webhook through `changeVersioned` (404, If-Match 412, retry on a concurrent
 * writer), written with its events. A new URL or a re-enabling forgets past failures. `respond`
 * answers with the changed webhook (its view and ETag unless given).
 */
export const changeWebhook = (
  request: Request,
  decide: (current: Webhook) => Decision<Webhook, WebhookEventType> | Promise<Decision<Webhook, WebhookEventType>>,
  respond: (webhook: Webhook) => Response = (webhook) => ({ status: 200, body: webhookView(webhook), headers: { etag: etag(webhook.version) } }),
): Promise<Response> =>
  changeVersioned(request, {
    read: async () => loaded(await getWebhook(request.caller.tenantId, request.params.id!)),
    missing: () => webhookNotFound(request.params.id!),
    decide,
    write: ({ current, next, events }) =>
      replaceWebhook(
        next,
        current.version,
        events.map((type, i) => newWebhookEvent(request, type, next, current.sequence + i + 1)),
        { healthy: next.url !== current.url || (next.enabled && !current.enabled) },
      ),
    respond,
  });

/**
 * Disables a webhook on Rapport's own account (the delivery worker: a 410, a day of failures),
 * with its WebhookDisabled event; nothing when it is gone or already disabled.
 */
export const disableWebhook = (tenantId: string, id: string, reason: string, actor: string): Promise<boolean> =>
  withOptimisticRetry(async () => {
    const current = await getWebhook(tenantId, id);
    if (!current?.enabled) return false;
    const now = new Date().toISOString();
    const next: Webhook = { ...current, enabled: false, disabledReason: reason, disabledAt: now, ...changedBookkeeping(current, 1, actor, now) };
    const event = webhookEvent({
      eventType: 'WebhookDisabled',
      tenantId,
      webhookId: id,
      sequence: next.sequence,
      actor,
      correlationId: `webhook-delivery:${id}`,
      data: { webhook: webhookView(next), reason },
    });
    await replaceWebhook(next, current.version, [event]);
    return true;
  });
