import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { EventEnvelope } from '../domain/event-envelope.ts';
import { getStoredEventItems } from '../storage/event-feed.ts';
import { getImportJob } from '../storage/imports/import-jobs.ts';
import { dynamodb } from '../storage/table/db.ts';
import { busEntryOf, putOnBus } from '../events/bus.ts';
import { requiredEnv } from '../events/dead-letters.ts';
import type { ImportRecordEvent } from '../events/import-record-events.ts';
import { deliveryQueue } from '../events/webhook-queue.ts';
import { queueWebhookDeliveries } from '../webhooks/dispatch-webhooks.ts';
import { projectFromTable } from '../search/customer-projection.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';

/**
 * The import relay: the consumer of the queue the stream publisher puts an import's rows' events
 * in (events/import-record-events.ts), a few at a time — its event source takes 10 messages a
 * batch and runs at most 2 batches at once (lib/imports.ts), so however fast imports write, their
 * rows' events reach the bus and the webhooks at a bounded pace behind live traffic, which goes
 * from the stream straight on. Each event is read again from the table (an erased customer's is gone,
 * and goes nowhere). A job with `recordEvents` gets each on the bus (and so to the search projector
 * and the TMF hub notifier) and offered to the webhooks; any other job's are kept from consumers:
 * only the search projection, which the bus would have kept, is brought to each customer they name.
 * A message that fails is received again (SQS), at most 5 times before its dead-letter queue.
 */
const relay = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const messages = event.Records.map((record) => ({ messageId: record.messageId, relayed: JSON.parse(record.body) as ImportRecordEvent }));
  const items = await getStoredEventItems(messages.map(({ relayed }) => relayed.event));
  // Each job's choice, read once a batch.
  const choices = new Map<string, Promise<boolean>>();
  const recordEvents = ({ tenantId, importId }: ImportRecordEvent) => {
    const key = `${tenantId}\n${importId}`;
    if (!choices.has(key))
      choices.set(
        key,
        getImportJob(tenantId, importId).then((job) => job?.recordEvents === true),
      );
    return choices.get(key)!;
  };
  const paced: { messageId: string; item: Record<string, unknown> }[] = [];
  const quiet: { messageId: string; envelope: EventEnvelope }[] = [];
  for (const [i, { messageId, relayed }] of messages.entries()) {
    const item = items[i];
    if (!item) continue; // gone since (erased, purged, merged away): nothing to relay
    if (await recordEvents(relayed)) paced.push({ messageId, item });
    else quiet.push({ messageId, envelope: item.detail as EventEnvelope });
  }
  const failed = new Set<string>();
  if (paced.length > 0) {
    const busName = requiredEnv('EVENT_BUS_NAME');
    const undelivered = await putOnBus(paced.map((p) => ({ ...p, entry: busEntryOf(p.item, busName) })));
    for (const u of undelivered) failed.add(u.messageId);
    count(BusinessMetric.EventsPublished, paced.length - undelivered.length);
    try {
      await queueWebhookDeliveries(paced.map((p) => p.item));
    } catch (error) {
      // All of them again (the bus may get some twice: consumers dedupe on the event id).
      logger.error('webhook deliveries not queued', { error: error as Error });
      for (const p of paced) failed.add(p.messageId);
    }
  }
  // The search rows of the customers the quiet events name, each once a batch.
  const customers = new Map<string, { tenantId: string; id: string; messageIds: string[] }>();
  for (const { messageId, envelope } of quiet) {
    if (envelope.subject.type !== 'Customer') continue;
    const key = `${envelope.tenantId}\n${envelope.subject.id}`;
    const entry = customers.get(key) ?? { tenantId: envelope.tenantId, id: envelope.subject.id, messageIds: [] };
    entry.messageIds.push(messageId);
    customers.set(key, entry);
  }
  await Promise.all(
    [...customers.values()].map(async ({ tenantId, id, messageIds }) => {
      try {
        await projectFromTable(tenantId, id);
      } catch (error) {
        logger.error('search projection failed', { tenantId, id, error: error as Error });
        for (const messageId of messageIds) failed.add(messageId);
      }
    }),
  );
  logger.info('relayed', { paced: paced.length, quiet: quiet.length, failed: failed.size });
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
};

traced(dynamodb);
traced(deliveryQueue);

export const handler = middy(relay).use(tracedInstrumentation());
