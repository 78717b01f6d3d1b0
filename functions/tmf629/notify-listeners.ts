import type { EventBridgeEvent } from 'aws-lambda';
import middy from '@middy/core';
import type { EventEnvelope } from '../domain/event-envelope.ts';
import { deadLetterQueues, requiredEnv, sendToDeadLetterQueue } from '../events/dead-letters.ts';
import { deleteSubscription, hubSecretOwner, listSubscriptions, type Subscription } from '../storage/subscriptions.ts';
import { instanceCache } from '../storage/table/instance-cache.ts';
import { openSecret } from '../storage/table/sealed-secrets.ts';
import { postJson } from '../events/outbound.ts';
import { signatureHeaders } from '../events/signing.ts';
import { hubQueryMatches, parseHubQuery } from '../domain/hub-query.ts';
import { TMF_EVENT_TYPES } from '../events/tmf-customer-events.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { dynamodb } from '../storage/table/db.ts';
import { showCustomer, storedFromView, type TmfGeneration } from '../domain/tmf629/generation.ts';
import { GENERATIONS, v4 } from '../domain/tmf629/generations.ts';

const TIMEOUT_MS = Number(process.env.NOTIFY_TIMEOUT_MS ?? 5000);
const ATTEMPTS = Number(process.env.NOTIFY_ATTEMPTS ?? 3);
const BASE_DELAY_MS = Number(process.env.NOTIFY_RETRY_BASE_MS ?? 200);
const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

/**
 * The tenant's registrations as the notifier sees them: read once per tenant every
 * HUB_CACHE_SECONDS (15; the local runtime 0) per function instance, as the webhook dispatcher
 * reads webhooks, so a busy tenant's events do not all read its one registration partition. A
 * registration made or deleted reaches notifications within that time.
 */
const registrations = instanceCache(listSubscriptions, { ttlMs: () => Number(process.env.HUB_CACHE_SECONDS ?? 15) * 1000 });

type TmfEventData = { customer: { id: string; href: string } & Record<string, unknown>; notInV4?: Record<string, unknown> };

/** The customer of a TMF event as `generation` shows it (v4's view is the event's own; the others are made from it and what v4 did not show). */
const customerFor = (generation: TmfGeneration, data: TmfEventData): Record<string, unknown> => {
  if (generation === v4) return data.customer;
  const { id, href } = data.customer;
  const baseUrl = href.slice(0, Math.max(0, href.indexOf(v4.basePath)));
  return showCustomer(generation, { ...storedFromView(data.customer, data.notInV4), id }, baseUrl);
};

/**
 * The notification body in a generation's format: eventId, eventTime, eventType, correlationId,
 * event: {customer}; v5's event also carries `@type` (its event type) and `timeOccurred`.
 */
export const notificationOf = (envelope: EventEnvelope<TmfEventData>, generation: TmfGeneration = v4): Record<string, unknown> => ({
  ...(generation.name === 'v5' ? { '@type': envelope.eventType } : {}),
  eventId: envelope.eventId,
  eventTime: envelope.eventTime,
  eventType: envelope.eventType,
  correlationId: envelope.correlationId,
  ...(generation.name === 'v5' ? { timeOccurred: envelope.eventTime } : {}),
  event: { customer: customerFor(generation, envelope.data) },
});

/** What became of one notification: undefined when delivered, else why not; `gone` when the listener answered 410. */
const deliver = async (subscription: Subscription, eventId: string, body: string): Promise<{ error?: string; gone?: boolean }> => {
  let lastError = '';
  const secret = subscription.secret === undefined ? undefined : await openSecret(subscription.secret, hubSecretOwner(subscription));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** (attempt - 2)));
    // A registration with a secret gets Standard Webhooks signatures, made afresh for each attempt's timestamp.
    const headers = secret ? signatureHeaders([secret], eventId, new Date(), body) : {};
    const outcome = await postJson(subscription.callback, body, { headers, timeoutMs: TIMEOUT_MS, allowLoopback });
    if (outcome.refused) return { error: `callback ${outcome.error}` };
    if (outcome.status === undefined) {
      lastError = outcome.error ?? 'no answer';
      continue;
    }
    if (outcome.status >= 200 && outcome.status < 300) return {};
    if (outcome.status === 410) return { error: 'HTTP 410', gone: true };
    lastError = `HTTP ${outcome.status}`;
    if (outcome.status < 500 && outcome.status !== 408 && outcome.status !== 429) break;
  }
  return { error: lastError };
};

/**
 * TMF hub notifier (EventBridge target for `rapport.tmf629`): delivers the notification to every
 * matching registration of the event's tenant, in the format of the generation it registered
 * with (v3, v4 or v5; one rendering per generation), all at once, each with its own timeout and retries,
 * so a slow or dead subscriber never delays the others. A registration with a secret gets its
 * notifications signed as webhooks are (Standard Webhooks); a listener answering 410 is
 * unregistered. Failed deliveries go to the dead-letter queue.
 */
const notify = async (event: EventBridgeEvent<string, EventEnvelope<TmfEventData>>) => {
  const envelope = event.detail;
  const subscriptions = (await registrations.get(envelope.tenantId)).filter((s) => {
    try {
      return hubQueryMatches(parseHubQuery(s.query, TMF_EVENT_TYPES), envelope.eventType);
    } catch {
      return false;
    }
  });
  const bodies = new Map<string, string>();
  const bodyFor = (s: Subscription): string => {
    const known = bodies.get(s.generation);
    if (known !== undefined) return known;
    const body = JSON.stringify(notificationOf(envelope, GENERATIONS[s.generation]));
    bodies.set(s.generation, body);
    return body;
  };
  const outcomes = await Promise.all(subscriptions.map(async (s) => ({ subscription: s, ...(await deliver(s, envelope.eventId, bodyFor(s))) })));
  // A listener that answers 410 Gone has unsubscribed: its registration is deleted.
  for (const gone of outcomes.filter((o) => o.gone)) {
    await deleteSubscription(gone.subscription.tenantId, gone.subscription.id);
    registrations.forget(gone.subscription.tenantId);
  }
  const failed = outcomes.filter((o) => o.error !== undefined && !o.gone);
  if (failed.length > 0) {
    logger.warn('notifications failed', { eventId: envelope.eventId, failed: failed.map((f) => ({ id: f.subscription.id, error: f.error })) });
    await sendToDeadLetterQueue(
      requiredEnv('NOTIFY_DLQ_URL'),
      failed.map((f) => ({
        subscriptionId: f.subscription.id,
        callback: f.subscription.callback,
        error: f.error,
        notification: JSON.parse(bodyFor(f.subscription)),
      })),
    );
  }
  const delivered = outcomes.filter((o) => o.error === undefined).length;
  const gone = outcomes.length - delivered - failed.length;
  logger.info('notified', { eventId: envelope.eventId, delivered, failed: failed.length, gone });
  count(BusinessMetric.NotificationsDelivered, delivered);
  count(BusinessMetric.NotificationsFailed, failed.length);
  return { delivered, failed: failed.length, gone };
};

traced(dynamodb);
traced(deadLetterQueues);

export const handler = middy(notify).use(tracedInstrumentation());
