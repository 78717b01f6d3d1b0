import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { importJobOfCorrelation, type EventEnvelope } from '../domain/event-envelope.ts';
import { storedEventRefOf, type StoredEventRef } from '../storage/event-feed.ts';
import { IMPORT_SOURCE } from './import-events.ts';
import { requiredEnv } from './dead-letters.ts';
import { awsClient } from '../aws-clients.ts';

/**
 * The events an import's rows write (the API's own: CustomerCreated, CustomerCreateEvent, …)
 * do not go from the table stream straight to the bus and the webhooks, as a request's do: the
 * publisher queues them here (IMPORT_EVENTS_QUEUE_URL), and the import relay
 * (functions/imports/relay-import-events.ts) takes them a few at a time — to the bus and the
 * webhooks when the job asked for its records' events (`recordEvents`), else only to the search
 * projection. They are in the table and the event feed either way. The job's own summary events
 * (`rapport.imports`) are live traffic.
 */
export const importEventQueue = awsClient(new SQSClient({}));

/** One row's event waiting for the relay: where it is stored (the relay reads it again: an erased customer's is gone) and whose job wrote it. */
export interface ImportRecordEvent {
  tenantId: string;
  importId: string;
  event: StoredEventRef;
}

/** The import row's event this stored event item is, or undefined (a request's event, or a job's summary). */
export const importRecordOf = (item: Record<string, unknown>): ImportRecordEvent | undefined => {
  if (item.source === IMPORT_SOURCE) return undefined;
  const envelope = item.detail as EventEnvelope | undefined;
  const importId = importJobOfCorrelation(String(envelope?.correlationId ?? ''));
  return importId === undefined || !envelope ? undefined : { tenantId: envelope.tenantId, importId, event: storedEventRefOf(item) };
};

/** Queues rows' events for the relay, 10 a request; throws if SQS refuses any (the stream then hands the batch again). */
export const queueImportRecordEvents = async (events: ImportRecordEvent[]): Promise<void> => {
  if (events.length === 0) return;
  const queueUrl = requiredEnv('IMPORT_EVENTS_QUEUE_URL');
  for (let i = 0; i < events.length; i += 10) {
    const batch = events.slice(i, i + 10);
    const result = await importEventQueue.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event) })) }),
    );
    if (result.Failed && result.Failed.length > 0)
      throw new Error(`import event queue refused ${result.Failed.length} message(s): ${result.Failed.map((f) => f.Message).join('; ')}`);
  }
};
