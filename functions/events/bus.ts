import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_LIMITS, eventEntryBytes } from '../storage/table/limits.ts';
import { logger } from '../observability.ts';
import { traced } from '../tracing.ts';
import { awsClient } from '../aws-clients.ts';

/**
 * Putting stored events on the EventBridge bus: the one place that calls PutEvents, for the stream
 * publisher (publish-events.ts: live traffic) and the import relay (an import's rows' events, paced).
 */
const eventBridge = traced(awsClient(new EventBridgeClient({})));

/** PutEvents attempts per entry before it is handed back as undelivered. */
export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = Number(process.env.PUBLISH_RETRY_BASE_MS ?? 50);

/** The bus entry of a stored event item. */
export const busEntryOf = (item: Record<string, unknown>, busName: string): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: String(item.source),
  DetailType: String(item.detailType),
  Detail: JSON.stringify(item.detail),
  Time: new Date(String(item.createdAt)),
});

/**
 * The entries in order, in PutEvents requests EventBridge takes: at most 10 entries and
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

/** Puts up to 10 entries, retrying the failed ones with backoff; returns those that never made it, each with why. */
const putWithRetries = async <P extends { entry: PutEventsRequestEntry; error?: string }>(batch: P[]): Promise<P[]> => {
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

/** Puts every entry on the bus, in order, in as few requests as EventBridge takes; returns those it never took. */
export const putOnBus = async <P extends { entry: PutEventsRequestEntry; error?: string }>(pending: P[]): Promise<P[]> => {
  const undelivered: P[] = [];
  for (const batch of putEventsBatches(pending)) undelivered.push(...(await putWithRetries(batch)));
  return undelivered;
};
