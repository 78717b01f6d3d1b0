import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handler, MAX_ATTEMPTS, putEventsBatches } from '../../functions/events/publish-events.ts';
import { lambdaContext } from '../../lib/local/direct-call.ts';

const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

const eventRecord = (n: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(100 + n),
    NewImage: marshall({
      pk: 'T#t#CUSTOMER#c',
      sk: `EVENT#${n}`,
      entity: 'EVENT',
      source: 'rapport.tmf629',
      detailType: 'CustomerAttributeValueChangeEvent',
      detail: { eventId: `e${n}`, sequence: n },
      createdAt: '2026-11-23T10:00:00.000Z',
    }) as never,
  },
});
const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

beforeEach(() => {
  eventBridge.reset();
  sqs.reset();
  process.env.EVENT_BUS_NAME = 'rapport-bus';
  process.env.PUBLISH_DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/publish-dlq';
  process.env.IMPORT_EVENTS_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/import-events';
});

describe('stream publisher failure paths', () => {
  it('puts each event once, on the configured bus, with the envelope as detail', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });
    const result = await handler(streamEvent([eventRecord(1), eventRecord(2)]), lambdaContext('publisher'));
    expect(result.batchItemFailures).toEqual([]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.Entries).toEqual([
      expect.objectContaining({
        EventBusName: 'rapport-bus',
        Source: 'rapport.tmf629',
        DetailType: 'CustomerAttributeValueChangeEvent',
        Detail: JSON.stringify({ eventId: 'e1', sequence: 1 }),
      }),
      expect.objectContaining({ Detail: JSON.stringify({ eventId: 'e2', sequence: 2 }) }),
    ]);
  });

  it('puts large events in requests EventBridge takes: at most 10 entries and 256 KB together', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
    const large = (n: number): DynamoDBRecord => {
      const record = eventRecord(n);
      record.dynamodb!.NewImage = marshall({
        ...unmarshall(record.dynamodb!.NewImage as never),
        detail: { eventId: `e${n}`, padding: 'x'.repeat(100_000) },
      }) as never;
      return record;
    };
    const result = await handler(streamEvent([large(1), large(2), large(3), eventRecord(4), large(5)]), lambdaContext('publisher'));
    expect(result.batchItemFailures).toEqual([]);
    const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).eventId));
    expect(sizes).toEqual([
      ['e1', 'e2'],
      ['e3', 'e4', 'e5'],
    ]);
    // Eleven small ones: ten, then one.
    expect(putEventsBatches(Array.from({ length: 11 }, () => ({ entry: { Detail: '{}' } }))).map((b) => b.length)).toEqual([10, 1]);
  });

  it('ignores records that are not inserted event items', async () => {
    const modify = { ...eventRecord(1), eventName: 'MODIFY' as const };
    const customer = {
      eventName: 'INSERT' as const,
      dynamodb: { SequenceNumber: '5', NewImage: marshall({ pk: 'x', sk: 'CUSTOMER', entity: 'CUSTOMER' }) as never },
    };
    await handler(streamEvent([modify, customer]), lambdaContext('publisher'));
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('retries only the entries PutEvents reports as failed (FailedEntryCount)', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'ok' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }, { EventId: 'ok3' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'retried' }] });
    const result = await handler(streamEvent([eventRecord(1), eventRecord(2), eventRecord(3)]), lambdaContext('publisher'));
    expect(result.batchItemFailures).toEqual([]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).eventId)).toEqual(['e2']);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('retries a throttled call, then sends what still fails to the dead-letter queue', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    eventBridge.on(PutEventsCommand).rejects(throttled);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
    const result = await handler(streamEvent([eventRecord(7)]), lambdaContext('publisher'));
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(MAX_ATTEMPTS);
    expect(result.batchItemFailures).toEqual([]);
    const parked = sqs.commandCalls(SendMessageBatchCommand);
    expect(parked).toHaveLength(1);
    expect(parked[0]!.args[0].input.QueueUrl).toBe(process.env.PUBLISH_DLQ_URL);
    expect(JSON.parse(parked[0]!.args[0].input.Entries![0]!.MessageBody!)).toMatchObject({
      reason: 'ThrottlingException: Rate exceeded',
      sequenceNumber: '107',
      entry: { DetailType: 'CustomerAttributeValueChangeEvent' },
    });
  });

  it('reports the records as batch item failures when even the dead-letter queue fails, so the stream retries', async () => {
    // Every attempt fails the entry of event e2 and accepts the others.
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => {
      const results = input.Entries.map((e) =>
        JSON.parse(e.Detail).eventId === 'e2' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'x' } : { EventId: 'ok' },
      );
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    });
    sqs.on(SendMessageBatchCommand).rejects(new Error('queue unavailable'));
    const result = await handler(streamEvent([eventRecord(1), eventRecord(2)]), lambdaContext('publisher'));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '102' }]);
  });

  it('sends at most 10 entries per PutEvents call', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
    await handler(streamEvent(Array.from({ length: 23 }, (_, i) => eventRecord(i))), lambdaContext('publisher'));
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
  });
});

/** An event item as an import's row (correlated `import-<job>`) or the job itself (`rapport.imports`) writes it. */
const importRecord = (n: number, source = 'rapport.crm'): DynamoDBRecord => {
  const record = eventRecord(n);
  record.dynamodb!.NewImage = marshall({
    ...unmarshall(record.dynamodb!.NewImage as never),
    source,
    detail: { eventId: `e${n}`, sequence: n, tenantId: 'acme', correlationId: 'import-job-1' },
  }) as never;
  return record;
};

describe('stream publisher and an import’s rows’ events', () => {
  it('queues a row’s event for the import relay instead of the bus; the job’s own summary events and live ones go on the bus', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const result = await handler(
      streamEvent([importRecord(1), eventRecord(2), importRecord(3, 'rapport.imports'), importRecord(4)]),
      lambdaContext('publisher'),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).eventId))).toEqual(['e2', 'e3']);
    const queued = sqs.commandCalls(SendMessageBatchCommand);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.args[0].input.QueueUrl).toBe(process.env.IMPORT_EVENTS_QUEUE_URL);
    expect(queued[0]!.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!))).toEqual([
      { tenantId: 'acme', importId: 'job-1', event: { pk: 'T#t#CUSTOMER#c', sk: 'EVENT#1' } },
      { tenantId: 'acme', importId: 'job-1', event: { pk: 'T#t#CUSTOMER#c', sk: 'EVENT#4' } },
    ]);
  });

  it('fails the whole batch, before putting anything, when the relay queue refuses: the stream hands it again', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'ok' }] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', Message: 'try again', SenderFault: false }] });
    await expect(handler(streamEvent([eventRecord(1), importRecord(2)]), lambdaContext('publisher'))).rejects.toThrow(/import event queue refused 1/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});

describe('stream publisher with an unreadable record', () => {
  it('parks it in the dead-letter queue and still publishes the others', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'ok' }] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
    const broken: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '999', Keys: marshall({ pk: 'p', sk: 'EVENT#x' }) as never, NewImage: { entity: { S: 'EVENT' }, detail: {} } as never },
    };
    const result = await handler(streamEvent([broken, eventRecord(1)]), lambdaContext('publisher'));
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    const parked = JSON.parse(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!.MessageBody!);
    expect(parked).toMatchObject({ sequenceNumber: '999', reason: expect.stringMatching(/unreadable event item/) });
  });
});
