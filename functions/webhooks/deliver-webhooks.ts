import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import middy from '@middy/core';
import { DISABLE_AFTER_SECONDS, MAX_ATTEMPTS, retryAfterMs, retryDelayMs, verdictOf } from '../domain/webhook-retries.ts';
import { postJson } from '../events/outbound.ts';
import { signatureHeaders } from '../events/signing.ts';
import { webhookTestEvent } from '../events/webhook-events.ts';
import { deliveryQueue, enqueueDeliveries, type DeliveryMessage } from '../events/webhook-queue.ts';
import { getStoredEvent } from '../storage/event-feed.ts';
import { recordDelivery, type DeliveryAttempt } from '../storage/webhooks/webhook-deliveries.ts';
import { markWebhookFailing, markWebhookHealthy, webhookSecretOwner, type Webhook } from '../storage/webhooks/webhooks.ts';
import { openSecret } from '../storage/table/sealed-secrets.ts';
import { dynamodb } from '../storage/table/db.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { disableWebhook } from './webhook-changes.ts';
import { forgetTenantWebhooks, tenantWebhooks } from './webhook-cache.ts';

const TIMEOUT_MS = Number(process.env.WEBHOOK_TIMEOUT_MS ?? 10_000);
/** Compresses the retry schedule and the day of failures before disabling (the local runtime's tests: 0.001). */
const TIME_SCALE = Number(process.env.WEBHOOK_TIME_SCALE ?? 1);
const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';
const ACTOR = 'rapport:webhook-delivery';
const USER_AGENT = 'Rapport-Webhooks/1.0 (+https://www.standardwebhooks.com)';

/** The secrets that sign now, opened: the current one, and the previous one during its rotation's overlap. */
const signingSecrets = (webhook: Webhook, now: number): Promise<string[]> =>
  Promise.all(
    [
      webhook.secret,
      ...(webhook.previousSecret && webhook.previousSecretExpiresAt && Date.parse(webhook.previousSecretExpiresAt) > now ? [webhook.previousSecret] : []),
    ].map((secret) => openSecret(secret, webhookSecretOwner(webhook))),
  );

/**
 * One attempt of one delivery: read the webhook and the event as they are now, POST the event
 * signed, log the attempt, and queue the next one on the schedule when the receiver may yet take
 * it. A 410 disables the webhook, and so does a day in which every delivery failed.
 */
export const deliver = async (message: DeliveryMessage): Promise<void> => {
  const now = Date.now();
  if (message.notBefore !== undefined && message.notBefore - now > 1000) {
    // A wait longer than SQS's longest delay goes round again until it is over.
    await enqueueDeliveries([{ message, delayMs: message.notBefore - now }], now);
    return;
  }
  const { tenantId, webhookId } = message;
  const webhook = (await tenantWebhooks(tenantId)).find((w) => w.id === webhookId);
  // A deleted webhook's deliveries stop (its log expires with its retention).
  if (!webhook) return;
  const entry = {
    tenantId,
    webhookId,
    eventId: message.eventId,
    eventType: message.eventType,
    ...(message.event ? { event: message.event } : {}),
    ...(message.test ? { test: true as const } : {}),
  };
  // A test goes to a disabled webhook too: it is how a receiver is tried before the webhook is enabled again.
  if (!webhook.enabled && !message.test) {
    await recordDelivery({
      ...entry,
      status: 'skipped',
      reason: `the webhook is disabled (${webhook.disabledReason ?? 'disabled'}); redeliver once it is enabled`,
    });
    return;
  }
  const event = message.test
    ? webhookTestEvent({ ...message.test, eventId: message.eventId, tenantId, webhookId, url: webhook.url })
    : message.event && (await getStoredEvent(message.event));
  if (!event) {
    await recordDelivery({ ...entry, status: 'dropped', reason: 'the event is no longer stored: its subject was erased, purged or merged into another' });
    return;
  }
  const body = JSON.stringify(event);
  const at = new Date();
  const outcome = await postJson(webhook.url, body, {
    headers: { ...signatureHeaders(await signingSecrets(webhook, at.getTime()), message.eventId, at, body), 'user-agent': USER_AGENT },
    timeoutMs: TIMEOUT_MS,
    allowLoopback,
  });
  const verdict = verdictOf(outcome);
  const attempt: DeliveryAttempt = {
    at: at.toISOString(),
    ...(outcome.status === undefined ? {} : { statusCode: outcome.status }),
    latencyMs: outcome.latencyMs,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(message.redelivery && message.attempt === 1 ? { redelivery: true } : {}),
  };
  if (message.test) {
    // A test is sent once and says only how the receiver answered: no retries, the webhook's health untouched.
    await recordDelivery(
      verdict === 'delivered' ? { ...entry, status: 'delivered', attempt } : { ...entry, status: 'failed', attempt, reason: 'a test delivery is made once' },
    );
    return;
  }
  if (verdict === 'delivered') {
    // The webhook is healthy again before its log says so.
    if (webhook.failingSince) {
      await markWebhookHealthy(tenantId, webhookId);
      forgetTenantWebhooks(tenantId);
    }
    await recordDelivery({ ...entry, status: 'delivered', attempt });
    count(BusinessMetric.WebhooksDelivered, 1);
    return;
  }
  count(BusinessMetric.WebhookAttemptsFailed, 1);
  const delay = verdict === 'retry' ? retryDelayMs(message.attempt, retryAfterMs(outcome.retryAfter, now), TIME_SCALE, Math.random()) : undefined;
  if (delay !== undefined) {
    await enqueueDeliveries([{ message: { ...message, attempt: message.attempt + 1, notBefore: undefined }, delayMs: delay }], now);
    await recordDelivery({ ...entry, status: 'retrying', attempt, nextAttemptAt: new Date(now + delay).toISOString() });
  } else {
    const reason =
      verdict === 'retry'
        ? `no attempt of ${MAX_ATTEMPTS} succeeded`
        : verdict === 'gone'
          ? 'the receiver answered 410 Gone'
          : 'the receiver refused the event (a status that trying again would not change)';
    await recordDelivery({ ...entry, status: 'failed', attempt, reason });
  }
  await noteFailure(webhook, verdict === 'gone', at);
};

/** A failed attempt counts against its webhook: a 410 disables it, and so does failing for a whole day. */
const noteFailure = async (webhook: Webhook, gone: boolean, at: Date): Promise<void> => {
  const { tenantId, id } = webhook;
  let reason: string | undefined;
  if (gone) reason = 'the receiver answered 410 Gone: it unsubscribed';
  else if (!webhook.failingSince) await markWebhookFailing(tenantId, id, at.toISOString());
  else if (at.getTime() - Date.parse(webhook.failingSince) >= DISABLE_AFTER_SECONDS * 1000 * TIME_SCALE)
    reason = `every delivery has failed since ${webhook.failingSince}`;
  if (reason && (await disableWebhook(tenantId, id, reason, ACTOR))) {
    logger.warn('webhook disabled', { tenantId, webhookId: id, reason });
    count(BusinessMetric.WebhooksDisabled, 1);
  }
  if (reason || !webhook.failingSince) forgetTenantWebhooks(tenantId);
};

/**
 * Webhook delivery worker (the delivery queue's consumer): the batch's deliveries in parallel,
 * each with its own timeout, so a slow receiver delays no other. A delivery that fails here (not
 * at the receiver: the table or the queue) is handed back to SQS, which tries it again and, after
 * five receives, parks it in the dead-letter queue.
 */
const work = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        await deliver(JSON.parse(record.body) as DeliveryMessage);
      } catch (error) {
        logger.error('delivery not processed; SQS will retry it', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
};

traced(dynamodb);
traced(deliveryQueue);

export const handler = middy(work).use(tracedInstrumentation());
