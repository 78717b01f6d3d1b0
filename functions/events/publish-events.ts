import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import middy from '@middy/core';
import { feedSettleMs, isStoredEventInsert } from '../storage/event-feed.ts';
import { EVENT_BUS_LIMITS, eventEntryBytes } from '../storage/table/limits.ts';
import { timeOfId } from '../domain/ids.ts';
import { deadLetterQueues, requiredEnv, sendToDeadLetterQueue } from './dead-letters.ts';
import { BusinessMetric } from '../business-metrics.ts';
import { count, logger } from '../observability.ts';
import { traced, tracedInstrumentation } from '../tracing.ts';
import { awsClient } from '../aws-clients.ts';

const eventBridge = traced(awsClient(new EventBridgeClient({})));
traced(deadLetterQueues);

/** PutEvents attempts per entry before it goes to the dead-letter queue. */
export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = Number(process.env.PUBLISH_RETRY_BASE_MS ?? 50);

interface Pending {
  record: DynamoDBRecord;
  entry: PutEventsRequestEntry;
  error?: string;
}

const toEntry = (record: DynamoDBRecord, busName: string): PutEventsRequestEntry => {
  const item = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
  return {
    EventBusName: busName,
    Source: String(item.source),
    DetailType: String(item.detailType),
    Detail: JSON.stringify(item.detail),
    Time: new Date(String(item.createdAt)),
  };
};

/**
 * The entries in stream order, in PutEvents requests EventBridge takes: at most 10 entries and
 * 256 KB together (every entry is at most 256 KB: the outbox refuses a larger event before writing it).
 */
export const putEventsBatches = <P extends { entry: PutEventsRequestEntry }>(pending: P[]): P[][] => {
  const batches: P[][] = [];
  let current: P[] = [];
  let size = 0;
  for (const p of pending) {
    const bytes = eventEntryBytes(p.entry);
    if (current.length > 0 && (current.length === EVENT_BUS_LIMITS.entriesPerRequest || size + bytes > EVENT_BUS_LIMITS.requestBytes)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Puts up to 10 entries, retrying the failed ones with backoff; returns those that never made it. */
const putWithRetries = async (batch: Pending[]): Promise<Pending[]> => {
  let pending = batch;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(BASE_DELAY_MS * 2 ** (attempt - 2) * (1 + Math.random()));
    try {
      const result = await eventBridge.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
      if (!result.FailedEntryCount) return [];
      const entries = result.Entries ?? [];
      pending = pending
        .map((p, i) => ({ ...p, error: entries[i]?.ErrorCode ? `${entries[i]?.ErrorCode}: ${entries[i]?.ErrorMessage}` : undefined }))
        .filter((p) => p.error !== undefined);
      logger.warn('PutEvents partially failed', { attempt, failed: pending.length, errors: pending.map((p) => p.error) });
    } catch (error) {
      pending = pending.map((p) => ({ ...p, error: `${(error as Error).name}: ${(error as Error).message}` }));
      logger.warn('PutEvents failed', { attempt, error: error as Error });
    }
  }
  return pending;
};

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
 * stream order, at least once. Failed entries are retried; what still fails goes to the dead-letter
 * queue; if even that fails, the records are reported as batch item failures so the stream retries.
 */
const publish = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const busName = requiredEnv('EVENT_BUS_NAME');
  const failed: Pending[] = [];
  const pending: Pending[] = [];
  for (const record of event.Records.filter(isStoredEventInsert)) {
    // A record that cannot be read is parked with the rest of the failures, never blocking the stream.
    try {
      pending.push({ record, entry: toEntry(record, busName) });
    } catch (error) {
      failed.push({
        record,
        entry: { EventBusName: busName, Detail: JSON.stringify(record.dynamodb?.Keys ?? {}) },
        error: `unreadable event item: ${(error as Error).message}`,
      });
    }
  }
  countLateFeedEntries(pending.map((p) => p.record));
  let published = 0;
  for (const batch of putEventsBatches(pending)) {
    const undelivered = await putWithRetries(batch);
    published += batch.length - undelivered.length;
    failed.push(...undelivered);
  }
  count(BusinessMetric.EventsPublished, published);
  if (failed.length === 0) {
    logger.info('published', { count: pending.length });
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
