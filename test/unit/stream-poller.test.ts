import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { restoreEmptyMaps, StreamPoller } from '../../lib/local/stream-poller.ts';
import { EVENT_ENTITY } from '../../functions/storage/table/table-schema.ts';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/rapport/stream/x';
const inserted = (sequence: string): _Record => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: sequence, NewImage: { entity: { S: EVENT_ENTITY }, pk: { S: `p${sequence}` } } },
});

describe('local stream poller', () => {
  const streams = mockClient(DynamoDBStreamsClient);
  beforeEach(() => {
    streams.reset();
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 's1' }] } });
  });

  it('restores empty maps the streams client dropped, at any depth', () => {
    expect(restoreEmptyMaps({})).toEqual({ M: {} });
    expect(restoreEmptyMaps({ M: { a: {}, b: { L: [{}] }, c: { S: 'x' } } })).toEqual({ M: { a: { M: {} }, b: { L: [{ M: {} }] }, c: { S: 'x' } } });
  });

  it('keeps reading a shard with the iterator GetRecords returned, not a new iterator and shard list per poll', async () => {
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it0' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it0' })
      .resolves({ Records: [inserted('1')], NextShardIterator: 'it1' })
      .on(GetRecordsCommand, { ShardIterator: 'it1' })
      .resolves({ Records: [], NextShardIterator: 'it2' })
      .on(GetRecordsCommand, { ShardIterator: 'it2' })
      .resolves({ Records: [inserted('2')], NextShardIterator: 'it3' })
      .on(GetRecordsCommand, { ShardIterator: 'it3' })
      .resolves({ Records: [], NextShardIterator: 'it4' });
    const delivered: string[] = [];
    const poller = new StreamPoller(new DynamoDBStreamsClient({ region: 'us-east-1' }), ARN, async (event: DynamoDBStreamEvent) => {
      delivered.push(...event.Records.map((r) => String(r.dynamodb?.SequenceNumber)));
      return { batchItemFailures: [] };
    });
    await poller.drain();
    await poller.drain();
    expect(delivered).toEqual(['1', '2']);
    expect(streams.commandCalls(DescribeStreamCommand)).toHaveLength(1);
    expect(streams.commandCalls(GetShardIteratorCommand)).toHaveLength(1);
    expect(streams.commandCalls(GetRecordsCommand).map((c) => c.args[0].input.ShardIterator)).toEqual(['it0', 'it1', 'it2', 'it3']);
  });

  it('starts again from the last delivered record after a failed batch and when the kept iterator has expired', async () => {
    streams
      .on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'start' })
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '1' })
      .resolves({ ShardIterator: 'after1' })
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '2' })
      .resolves({ ShardIterator: 'after2' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'start' })
      .resolves({ Records: [inserted('1'), inserted('2')], NextShardIterator: 'next' })
      .on(GetRecordsCommand, { ShardIterator: 'after1' })
      .resolves({ Records: [inserted('2')], NextShardIterator: 'tail' })
      .on(GetRecordsCommand, { ShardIterator: 'after2' })
      .resolves({ Records: [], NextShardIterator: 'later' })
      .on(GetRecordsCommand, { ShardIterator: 'tail' })
      .resolvesOnce({ Records: [], NextShardIterator: 'tail' })
      .rejects(Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' }));
    const batches: string[][] = [];
    const poller = new StreamPoller(new DynamoDBStreamsClient({ region: 'us-east-1' }), ARN, async (event: DynamoDBStreamEvent) => {
      const sequences = event.Records.map((r) => String(r.dynamodb?.SequenceNumber));
      batches.push(sequences);
      // The first batch fails from its second record on.
      return { batchItemFailures: batches.length === 1 ? [{ itemIdentifier: '2' }] : [] };
    });
    await poller.drain(); // delivers 1, fails at 2: the iterator is dropped
    await poller.drain(); // a new iterator after 1: delivers 2; 'tail' has nothing new and is kept
    await poller.drain(); // 'tail' has expired: a new iterator after 2, where nothing is new
    expect(batches).toEqual([['1', '2'], ['2']]);
    expect(streams.commandCalls(GetShardIteratorCommand).map((c) => c.args[0].input.SequenceNumber ?? c.args[0].input.ShardIteratorType)).toEqual([
      'TRIM_HORIZON',
      '1',
      '2',
    ]);
    expect(streams.commandCalls(GetRecordsCommand).map((c) => c.args[0].input.ShardIterator)).toEqual(['start', 'after1', 'tail', 'tail', 'after2']);
  });
});
