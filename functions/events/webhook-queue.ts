import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { StoredEventRef } from '../storage/event-feed.ts';
import { requiredEnv } from './dead-letters.ts';
import { awsClient } from '../aws-clients.ts';

/**
 * The delivery queue's client, untraced: the redelivery API function queues through it without
 * the X-Ray SDK in its bundle; the background functions trace it (`traced(deliveryQueue)`).
 */
export const deliveryQueue = awsClient(new SQSClient({}));

/**
 * One delivery of one event to one webhook, as it waits in the delivery queue (WEBHOOK_QUEUE_URL):
 * small, whatever the event — the worker reads the event from the table at each attempt.
 */
export interface DeliveryMessage {
  tenantId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** Where the event is stored; none for a test delivery, whose event is made when it is sent. */
  event?: StoredEventRef;
  /** A test delivery (`POST /api/v1/webhooks/{id}/test`): who asked, and when, for the `WebhookTest` event it sends once. */
  test?: { actor: string; correlationId: string; eventTime: string };
  /** 1 for the first attempt (and the first of a redelivery). */
  attempt: number;
  /** Epoch ms before which the attempt must not be made: a wait longer than SQS's 15-minute delay is made of several. */
  notBefore?: number;
  redelivery?: boolean;
}

/** SQS delays a message at most this long; longer waits go round again (`notBefore`). */
export const MAX_DELAY_SECONDS = 900;

/**
 * Queues deliveries, each after its delay. Messages are grouped by webhook (SQS fair queues), so
 * a webhook with a backlog does not hold up the others. Throws if SQS refuses any.
 */
export const enqueueDeliveries = async (deliveries: { message: DeliveryMessage; delayMs?: number }[], now = Date.now()): Promise<void> => {
  const queueUrl = requiredEnv('WEBHOOK_QUEUE_URL');
  for (let i = 0; i < deliveries.length; i += 10) {
    const batch = deliveries.slice(i, i + 10);
    const result = await deliveryQueue.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map(({ message, delayMs = 0 }, j) => {
          const body: DeliveryMessage = delayMs > MAX_DELAY_SECONDS * 1000 ? { ...message, notBefore: now + delayMs } : message;
          return {
            Id: String(j),
            MessageBody: JSON.stringify(body),
            DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(delayMs / 1000)),
            MessageGroupId: `${message.tenantId}/${message.webhookId}`,
          };
        }),
      }),
    );
    if (result.Failed && result.Failed.length > 0)
      throw new Error(`delivery queue refused ${result.Failed.length} message(s): ${result.Failed.map((f) => f.Message).join('; ')}`);
  }
};
