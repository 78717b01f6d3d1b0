import { lookup } from 'node:dns/promises';
import type { EventBridgeEvent } from 'aws-lambda';
import middy from '@middy/core';
import type { EventEnvelope } from '../events/envelope.ts';
import { requiredEnv, sendToDeadLetterQueue } from '../events/dead-letters.ts';
import { listSubscriptions, type Subscription } from '../storage/subscriptions.ts';
import { addressKind, checkCallbackUrl } from '../domain/callback-url.ts';
import { hubQueryMatches, parseHubQuery } from '../domain/hub-query.ts';
import { TMF_EVENT_TYPES } from './customer-events.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { dynamodb } from '../storage/db.ts';

const TIMEOUT_MS = Number(process.env.NOTIFY_TIMEOUT_MS ?? 5000);
const ATTEMPTS = Number(process.env.NOTIFY_ATTEMPTS ?? 3);
const BASE_DELAY_MS = Number(process.env.NOTIFY_RETRY_BASE_MS ?? 200);
const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

/** The TMF notification body: eventId, eventTime, eventType, event: {customer}. */
export const notificationOf = (envelope: EventEnvelope<{ customer: unknown }>) => ({
  eventId: envelope.eventId,
  eventTime: envelope.eventTime,
  eventType: envelope.eventType,
  correlationId: envelope.correlationId,
  event: { customer: envelope.data.customer },
});

/** The callback's host must still resolve to an address a subscription may reach (no DNS rebinding into the VPC). */
const resolvesSafely = async (url: URL): Promise<string | undefined> => {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await lookup(host, { all: true });
  for (const { address } of addresses) {
    const kind = addressKind(address);
    if (kind === 'public' || (kind === 'loopback' && allowLoopback)) continue;
    return `${host} resolves to ${kind} address ${address}`;
  }
  return undefined;
};

const deliver = async (subscription: Subscription, body: string): Promise<string | undefined> => {
  const verdict = checkCallbackUrl(subscription.callback, allowLoopback);
  if (!verdict.ok) return `callback refused: ${verdict.reason}`;
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** (attempt - 2)));
    try {
      const unsafe = await resolvesSafely(verdict.url);
      if (unsafe) return `callback refused: ${unsafe}`;
      const response = await fetch(verdict.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return undefined;
      lastError = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
    } catch (error) {
      lastError = `${(error as Error).name}: ${(error as Error).message}`;
    }
  }
  return lastError;
};

/**
 * TMF hub notifier (EventBridge target for `rapport.tmf629`): delivers the notification to every
 * matching registration of the event's tenant, all at once, each with its own timeout and retries,
 * so a slow or dead subscriber never delays the others. Failed deliveries go to the dead-letter queue.
 */
const notify = async (event: EventBridgeEvent<string, EventEnvelope<{ customer: unknown }>>) => {
  const envelope = event.detail;
  const subscriptions = (await listSubscriptions(envelope.tenantId)).filter((s) => {
    try {
      return hubQueryMatches(parseHubQuery(s.query, TMF_EVENT_TYPES), envelope.eventType);
    } catch {
      return false;
    }
  });
  const body = JSON.stringify(notificationOf(envelope));
  const outcomes = await Promise.all(subscriptions.map(async (s) => ({ subscription: s, error: await deliver(s, body) })));
  const failed = outcomes.filter((o) => o.error !== undefined);
  if (failed.length > 0) {
    logger.warn('notifications failed', { eventId: envelope.eventId, failed: failed.map((f) => ({ id: f.subscription.id, error: f.error })) });
    await sendToDeadLetterQueue(
      requiredEnv('NOTIFY_DLQ_URL'),
      failed.map((f) => ({ subscriptionId: f.subscription.id, callback: f.subscription.callback, error: f.error, notification: JSON.parse(body) })),
    );
  }
  logger.info('notified', { eventId: envelope.eventId, delivered: outcomes.length - failed.length, failed: failed.length });
  count(BusinessMetric.NotificationsDelivered, outcomes.length - failed.length);
  count(BusinessMetric.NotificationsFailed, failed.length);
  return { delivered: outcomes.length - failed.length, failed: failed.length };
};

traced(dynamodb);

export const handler = middy(notify).use(tracedInstrumentation());
