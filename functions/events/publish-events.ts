import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import middy from '@middy/core';
import { feedSettleMs, isStoredEventInsert } from '../storage/event-feed.ts';
import { timeOfId } from '../domain/ids.ts';
import { deadLetterQueues, requiredEnv, sendToDeadLetterQueue } from './dead-letters.ts';
import { busEntryOf, putOnBus } from './bus.ts';
import { importEventQueue, importRecordOf, queueImportRecordEvents, type ImportRecordEvent } from './import-record-events.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';

export { MAX_ATTEMPTS, putEventsBatches } from './bus.ts';

traced(deadLetterQueues);
traced(importEventQueue);

interface Pending {
  record: DynamoDBRecord;
  entry: PutEventsRequestEntry;
  error?: string;
}

/**
 * The feed hands out an event once its position is FEED_SETTLE_SECONDS old, trusting every write
 * to commit within that time of taking its position (storage/event-feed.ts). A commit later than
 * that (by the stream's own clock, rounded down to the second) is counted and logged: a feed
 * reader may have passed it. It has never been seen; the metric is there to say so if it is.
 */
const countLateFeedEntries = (records: DynamoDBRecord[]): void => {
  const late = records.filter((record) => {
    const position = record.dynamodb?.NewImage?.feedSk?.S;
    const committed = record.dynamodb?.ApproximateCreationDateTime;
    return position !== undefined && committed !== undefined && committed * 1000 - timeOfId(position) > feedSettleMs();
  });
  if (late.length === 0) return;
  logger.error('events committed after the feed settle time', { count: late.length, keys: late.map((r) => r.dynamodb?.Keys) });
  count(BusinessMetric.FeedLateEvents, late.length);
};

/**
 * Stream publisher: carries each event item committed to the table onto the EventBridge bus, in
 * stream order, at least once — but an import row's, which it queues for the import's relay
 * (import-record-events.ts: so a million-row job cannot crowd live traffic off the bus). Failed entries are retried; what still fails goes to the dead-letter
 * queue; if even that fails, the records are reported as batch item failures so the stream retries.
 */
const publish = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const busName = requiredEnv('EVENT_BUS_NAME');
  const failed: Pending[] = [];
  const pending: Pending[] = [];
  const relayed: ImportRecordEvent[] = [];
  const inserted = event.Records.filter(isStoredEventInsert);
  for (const record of inserted) {
    // A record that cannot be read is parked with the rest of the failures, never blocking the stream.
    try {
      const item = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
      // An import row's event goes to its job's relay (summary only, or paced behind live traffic).
      const importRecord = importRecordOf(item);
      if (importRecord) relayed.push(importRecord);
      else pending.push({ record, entry: busEntryOf(item, busName) });
    } catch (error) {
      failed.push({
        record,
        entry: { EventBusName: busName, Detail: JSON.stringify(record.dynamodb?.Keys ?? {}) },
        error: `unreadable event item: ${(error as Error).message}`,
      });
    }
  }
  // Queued before anything is put: a queue that refuses them fails the batch, and the stream hands it again.
  await queueImportRecordEvents(relayed);
  // Every event item the feed hands out, an import row's too (an incremental export reads them).
  countLateFeedEntries(inserted);
  const undelivered = await putOnBus(pending);
  const published = pending.length - undelivered.length;
  failed.push(...undelivered);
  count(BusinessMetric.EventsPublished, published);
  if (failed.length === 0) {
    logger.info('published', { count: pending.length, relayed: relayed.length });
    return { batchItemFailures: [] };
  }
  try {
    await sendToDeadLetterQueue(
      requiredEnv('PUBLISH_DLQ_URL'),
      failed.map((f) => ({ reason: f.error, entry: { ...f.entry, Time: f.entry.Time?.toISOString() }, sequenceNumber: f.record.dynamodb?.SequenceNumber })),
    );
    logger.error('events parked in the dead-letter queue', { count: failed.length });
    count(BusinessMetric.EventsDeadLettered, failed.length);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('dead-letter queue unavailable; the stream will retry', { error: error as Error });
    return { batchItemFailures: failed.map((f) => ({ itemIdentifier: f.record.dynamodb?.SequenceNumber ?? '' })) };
  }
};

export const handler = middy(publish).use(tracedInstrumentation());
