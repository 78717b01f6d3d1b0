import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import middy from '@middy/core';
import type { EventEnvelope } from '../domain/event-envelope.ts';
import { deliveryQueue, enqueueDeliveries, type DeliveryMessage } from '../events/webhook-queue.ts';
import { importRecordOf } from '../events/import-record-events.ts';
import { isStoredEventInsert, storedEventRefOf } from '../storage/event-feed.ts';
import { dynamodb } from '../storage/table/db.ts';
import { logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { tenantWebhooks } from './webhook-cache.ts';

/** Queues, for each stored event item, one delivery per enabled webhook of its tenant that takes its type; how many. */
export const queueWebhookDeliveries = async (items: Record<string, unknown>[]): Promise<number> => {
  // Each tenant's webhooks once per batch, all tenants at once.
  const tenants = [...new Set(items.map((item) => (item.detail as EventEnvelope).tenantId))];
  const webhooksOf = new Map(await Promise.all(tenants.map(async (tenant) => [tenant, await tenantWebhooks(tenant)] as const)));
  const deliveries: { message: DeliveryMessage }[] = [];
  for (const item of items) {
    const envelope = item.detail as EventEnvelope;
    for (const webhook of webhooksOf.get(envelope.tenantId) ?? []) {
      if (!webhook.enabled || !(webhook.eventTypes.includes('*') || webhook.eventTypes.includes(envelope.eventType))) continue;
      deliveries.push({
        message: {
          tenantId: envelope.tenantId,
          webhookId: webhook.id,
          eventId: envelope.eventId,
          eventType: envelope.eventType,
          event: storedEventRefOf(item),
          attempt: 1,
        },
      });
    }
  }
  await enqueueDeliveries(deliveries);
  return deliveries.length;
};

/**
 * Webhook dispatcher, the table stream's second consumer (beside the publisher): for each event
 * item written, one message in the delivery queue per enabled webhook of its tenant that takes its
 * type. It reads the outbox itself, as the publisher does, so every committed event is offered to
 * the webhooks even when the bus is not reachable, and each delivery knows where its event is
 * stored (a redelivery reads it again; an erased customer's events are not sent). A failure fails
 * the batch: the stream retries it (a receiver may then get an event twice, with the same
 * `webhook-id`, which is what it dedupes on). An import row's event is the import relay's to offer
 * (functions/imports/relay-import-events.ts).
 */
const dispatch = async (event: DynamoDBStreamEvent): Promise<{ queued: number }> => {
  const items = event.Records.filter(isStoredEventInsert)
    .map((record) => unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>))
    // An import row's event reaches the webhooks through the import relay, paced, when its job asked for them.
    .filter((item) => importRecordOf(item) === undefined);
  const queued = await queueWebhookDeliveries(items);
  if (queued > 0) logger.info('deliveries queued', { count: queued });
  return { queued };
};

traced(dynamodb);
traced(deliveryQueue);

export const handler = middy(dispatch).use(tracedInstrumentation());
