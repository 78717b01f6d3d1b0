/**
 * The metrics as CloudWatch receives them: embedded-metric-format lines on stdout. Metrics are on
 * here (the other tests turn them off), and the modules are loaded fresh so they read that setting.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { deterministicTimeOrderedId } from '../../functions/domain/ids.ts';
import type { DynamoDBRecord } from 'aws-lambda';
import { call, lambdaContext } from '../../lib/local/direct-call.ts';

const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

let lines: string[] = [];
const emfLines = (): Emf[] =>
  lines
    .flatMap((line) => line.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);
const metricNames = (emf: Emf) => emf._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name));

const record = (n: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(n),
    NewImage: marshall({
      pk: 'T#t#CUSTOMER#c',
      sk: `EVENT#${n}`,
      entity: 'EVENT',
      source: 'rapport.crm',
      detailType: 'CustomerCreated',
      detail: { n },
      createdAt: '2026-11-23T10:00:00.000Z',
    }) as never,
  },
});

let publish: typeof import('../../functions/events/publish-events.ts').handler;

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'; // as Lambda sets it; cold starts are counted only then
  process.env.POWERTOOLS_SERVICE_NAME = 'events';
  process.env.EVENT_BUS_NAME = 'bus';
  process.env.PUBLISH_DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/publish-dlq';
  process.env.PUBLISH_RETRY_BASE_MS = '1';
  vi.resetModules();
  ({ handler: publish } = await import('../../functions/events/publish-events.ts'));
});

const capture = () => {
  lines = [];
  return vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
};

afterEach(() => {
  vi.restoreAllMocks();
  eventBridge.reset();
  sqs.reset();
});

describe('metrics in CloudWatch embedded metric format', () => {
  it('a ColdStart metric on the first invocation only, with the function name, and the business metric per invocation', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{}, {}, {}] });
    capture();
    await publish({ Records: [record(1), record(2), record(3)] }, lambdaContext('rapport-publishEvents'));
    await publish({ Records: [record(4)] }, lambdaContext('rapport-publishEvents'));
    vi.restoreAllMocks();
    const emf = emfLines();
    const coldStarts = emf.filter((e) => metricNames(e).includes('ColdStart'));
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({ ColdStart: 1, function_name: 'rapport-publishEvents', service: 'events' });
    const published = emf.filter((e) => metricNames(e).includes('EventsPublished'));
    expect(published.map((e) => e.EventsPublished)).toEqual([3, 1]);
    expect(published[0]!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Rapport', Dimensions: [['service']] });
  });

  it('counts an event committed later than the feed settle time after taking its feed position', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{}, {}] });
    const committed = Date.parse('2026-11-30T10:00:00Z');
    const withPosition = (n: number, positionTime: number): DynamoDBRecord => {
      const base = record(n);
      const image = { ...base.dynamodb!.NewImage!, feedSk: { S: deterministicTimeOrderedId(positionTime, String(n)) } };
      return { ...base, dynamodb: { ...base.dynamodb, NewImage: image, ApproximateCreationDateTime: committed / 1000 } };
    };
    capture();
    await publish({ Records: [withPosition(7, committed - 200), withPosition(8, committed - 60_000)] }, lambdaContext('rapport-publishEvents'));
    vi.restoreAllMocks();
    const [emf] = emfLines().filter((e) => metricNames(e).includes('FeedLateEvents'));
    expect(emf).toMatchObject({ FeedLateEvents: 1, EventsPublished: 2 });
  });

  it('counts what reached the dead-letter queue, not as published', async () => {
    const failure = { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' };
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{}, failure] })
      .resolves({ FailedEntryCount: 1, Entries: [failure] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
    capture();
    await publish({ Records: [record(5), record(6)] }, lambdaContext('rapport-publishEvents'));
    vi.restoreAllMocks();
    const [emf] = emfLines().filter((e) => metricNames(e).includes('EventsPublished'));
    expect(emf).toMatchObject({ EventsPublished: 1, EventsDeadLettered: 1 });
  });

  it('a warm API invocation without business metrics writes no metric line and no warning', async () => {
    const { handler } = await import('../../functions/tmf629/retrieve-customer.ts');
    const { tmf629 } = await import('../../functions/tmf629/operations.ts');
    capture();
    // Refused in the kernel (no tenant claim) before any storage call: no business metric.
    const first = await call(handler, tmf629.retrieveCustomer, { params: { id: 'x' }, claims: { sub: 'user-1' } });
    const second = await call(handler, tmf629.retrieveCustomer, { params: { id: 'x' }, claims: { sub: 'user-1' } });
    vi.restoreAllMocks();
    expect([first.status, second.status]).toEqual([403, 403]);
    // The module instance's cold start was taken by the first test (one instance per Lambda process).
    expect(emfLines()).toEqual([]);
    expect(lines.join('')).not.toContain('No application metrics');
  });

  it('an API function writes its ColdStart metric in its first invocation only, even one without business metrics that is refused', async () => {
    const service = process.env.POWERTOOLS_SERVICE_NAME;
    process.env.POWERTOOLS_SERVICE_NAME = 'tmf629';
    try {
      vi.resetModules(); // a fresh instance, as Lambda starts one
      const { handler } = await import('../../functions/tmf629/retrieve-customer.ts');
      const { tmf629 } = await import('../../functions/tmf629/operations.ts');
      capture();
      // Refused in the kernel (no tenant claim): no storage call, no business metric.
      const refused = { params: { id: 'x' }, claims: { sub: 'user-1' } };
      const answers = [await call(handler, tmf629.retrieveCustomer, refused), await call(handler, tmf629.retrieveCustomer, refused)];
      vi.restoreAllMocks();
      expect(answers.map((a) => a.status)).toEqual([403, 403]);
      const emf = emfLines();
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({ ColdStart: 1, function_name: 'retrieveCustomer', service: 'tmf629' });
      expect(emf[0]!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Rapport', Dimensions: [['service', 'function_name']] });
    } finally {
      process.env.POWERTOOLS_SERVICE_NAME = service;
    }
  });
});
