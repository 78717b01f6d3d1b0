import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { EventBridgeEvent } from 'aws-lambda';
import middy from '@middy/core';
import type { EventEnvelope } from '../events/envelope.ts';
import { requiredEnv, sendToDeadLetterQueue } from '../events/dead-letters.ts';
import { listSubscriptions, type Subscription } from '../storage/subscriptions.ts';
import { checkAddress, checkCallbackUrl } from '../domain/callback-url.ts';
import { hubQueryMatches, parseHubQuery } from '../domain/hub-query.ts';
import { TMF_EVENT_TYPES } from '../events/tmf-customer-events.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { dynamodb } from '../storage/db.ts';
import { showCustomer, storedFromView, type TmfGeneration } from '../domain/tmf629/generation.ts';
import { GENERATIONS, v4 } from '../domain/tmf629/generations.ts';

const TIMEOUT_MS = Number(process.env.NOTIFY_TIMEOUT_MS ?? 5000);
const ATTEMPTS = Number(process.env.NOTIFY_ATTEMPTS ?? 3);
const BASE_DELAY_MS = Number(process.env.NOTIFY_RETRY_BASE_MS ?? 200);
const allowLoopback = process.env.ALLOW_LOOPBACK_CALLBACKS === 'true';

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

/** A callback host that resolved to an address no subscription may reach. */
class UnreachableAddress extends Error {}

/**
 * The notifier's DNS lookup: resolves the callback's host, refuses it when any of its addresses is
 * not one a subscription may reach, and hands the connection exactly the addresses it checked, so
 * nothing can re-resolve the name in between (no DNS rebinding into the VPC).
 */
export const checkedLookup =
  (allowLoopback: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const verdict = checkAddress(address, allowLoopback);
        if (!verdict.ok) return callback(new UnreachableAddress(`${hostname} resolves to ${verdict.reason}`), '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new UnreachableAddress(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };

const lookup = checkedLookup(allowLoopback);

/** POSTs the notification over the checked connection; its status, or the error. No redirects are followed. */
const post = (url: URL, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    request.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('error', reject);
    request.end(body);
  });

const deliver = async (subscription: Subscription, body: string): Promise<string | undefined> => {
  const verdict = checkCallbackUrl(subscription.callback, allowLoopback);
  if (!verdict.ok) return `callback refused: ${verdict.reason}`;
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** (attempt - 2)));
    try {
      const status = await post(verdict.url, body);
      if (status >= 200 && status < 300) return undefined;
      lastError = `HTTP ${status}`;
      if (status < 500 && status !== 408 && status !== 429) break;
    } catch (error) {
      if (error instanceof UnreachableAddress) return `callback refused: ${error.message}`;
      lastError = `${(error as Error).name}: ${(error as Error).message}`;
    }
  }
  return lastError;
};

/**
 * TMF hub notifier (EventBridge target for `rapport.tmf629`): delivers the notification to every
 * matching registration of the event's tenant, in the format of the generation it registered
 * with (v3, v4 or v5; one rendering per generation), all at once, each with its own timeout and retries,
 * so a slow or dead subscriber never delays the others. Failed deliveries go to the dead-letter queue.
 */
const notify = async (event: EventBridgeEvent<string, EventEnvelope<TmfEventData>>) => {
  const envelope = event.detail;
  const subscriptions = (await listSubscriptions(envelope.tenantId)).filter((s) => {
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
  const outcomes = await Promise.all(subscriptions.map(async (s) => ({ subscription: s, error: await deliver(s, bodyFor(s)) })));
  const failed = outcomes.filter((o) => o.error !== undefined);
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
  logger.info('notified', { eventId: envelope.eventId, delivered: outcomes.length - failed.length, failed: failed.length });
  count(BusinessMetric.NotificationsDelivered, outcomes.length - failed.length);
  count(BusinessMetric.NotificationsFailed, failed.length);
  return { delivered: outcomes.length - failed.length, failed: failed.length };
};

traced(dynamodb);

export const handler = middy(notify).use(tracedInstrumentation());
