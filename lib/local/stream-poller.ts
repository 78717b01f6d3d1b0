import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isStoredEventInsert } from '../../functions/storage/event-feed.ts';

type Attribute = Record<string, unknown>;

/** How often the shard list is described again while no shard has ended. */
const SHARD_REFRESH_MS = 10_000;

/**
 * The streams SDK client deserializes an empty map attribute (`{"M": {}}` on the wire) to `{}`;
 * Lambda hands the function the wire form. Restore it, at any depth, so the publisher sees what
 * it would see in AWS.
 */
export const restoreEmptyMaps = (value: Attribute): Attribute => {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: Object.fromEntries(Object.entries(value.M as Record<string, Attribute>).map(([k, v]) => [k, restoreEmptyMaps(v)])) };
  if (value.L) return { L: (value.L as Attribute[]).map(restoreEmptyMaps) };
  return value;
};

const restoreImage = (image: Record<string, Attribute> | undefined) =>
  image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, restoreEmptyMaps(v)]));

/**
 * Polls the table's stream the way Lambda's event source mapping does and hands each batch to the
 * real publisher handler. Only inserted event items pass (the same filter as the deployed mapping);
 * a batch the handler reports as failed is retried from the failed record. The position per shard
 * is kept in `checkpointFile` (when given), so a restart neither loses nor repeats events.
 */
export class StreamPoller {
  private readonly positions = new Map<string, string>();
  private readonly done = new Set<string>();
  private readonly iterators = new Map<string, string>();
  private shards: { id: string; parent?: string }[] | undefined;
  private describedAt = 0;
  private doneWhenDescribed = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private busy = false;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>,
    private readonly checkpointFile?: string,
    private readonly intervalMs = 100,
  ) {
    if (checkpointFile && existsSync(checkpointFile)) {
      const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { streamArn: string; positions: Record<string, string> };
      if (saved.streamArn === streamArn) for (const [shard, seq] of Object.entries(saved.positions)) this.positions.set(shard, seq);
    }
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Resolves once every record written so far has been handed over (used by tests and `/_local/events`). */
  async drain(): Promise<void> {
    // A poll already under way may have started before the caller's write: wait for it, then poll again.
    while (this.busy) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.pollOnce();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pollOnce();
      } catch (error) {
        if (!this.stopped) process.stderr.write(`stream poller: ${(error as Error).message}\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }

  private async pollOnce(): Promise<void> {
    if (this.busy) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      return;
    }
    this.busy = true;
    try {
      for (const shard of await this.currentShards()) {
        if (this.done.has(shard.id)) continue;
        if (shard.parent && !this.done.has(shard.parent) && this.shards?.some((s) => s.id === shard.parent)) continue;
        await this.readShard(shard.id);
      }
    } finally {
      this.busy = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /**
   * The stream's shards, described again only when one was read to its end or after
   * SHARD_REFRESH_MS (new shards appear when one closes or the stream splits), not at every poll.
   */
  private async currentShards(): Promise<{ id: string; parent?: string }[]> {
    if (!this.shards || this.done.size !== this.doneWhenDescribed || Date.now() - this.describedAt > SHARD_REFRESH_MS) {
      const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
      this.shards = (StreamDescription?.Shards ?? []).map((shard) => ({ id: shard.ShardId!, parent: shard.ParentShardId }));
      this.describedAt = Date.now();
      this.doneWhenDescribed = this.done.size;
    }
    return this.shards;
  }

  /**
   * Reads one shard from where the last poll left it: the iterator GetRecords returned last time
   * (as Lambda's event source mapping does), or a new one from the saved position at the start,
   * after a failed batch and when the kept one has expired (iterators live 15 minutes).
   */
  private async readShard(shardId: string): Promise<void> {
    let iterator = this.iterators.get(shardId) ?? (await this.newIterator(shardId));
    this.iterators.delete(shardId);
    while (iterator && !this.stopped) {
      let page: GetRecordsCommandOutput;
      try {
        page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      } catch (error) {
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        iterator = await this.newIterator(shardId);
        continue;
      }
      const records = page.Records ?? [];
      if (records.length > 0) {
        const delivered = await this.deliver(records);
        if (delivered) this.save(shardId, delivered);
        if (delivered !== records[records.length - 1]?.dynamodb?.SequenceNumber) return; // retry from the failure next round
      }
      if (!page.NextShardIterator) {
        this.done.add(shardId);
        return;
      }
      iterator = page.NextShardIterator;
      if (records.length === 0) {
        this.iterators.set(shardId, iterator);
        return;
      }
    }
  }

  private async newIterator(shardId: string): Promise<string | undefined> {
    const after = this.positions.get(shardId);
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  /** Hands the records to the handler; returns the sequence number up to which all succeeded. */
  private async deliver(records: _Record[]): Promise<string | undefined> {
    const eventRecords = records.filter(isStoredEventInsert);
    const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
    if (eventRecords.length === 0) return last;
    const event: DynamoDBStreamEvent = {
      Records: eventRecords.map(
        (r) =>
          ({
            ...r,
            dynamodb: {
              ...r.dynamodb,
              // The SDK makes a Date of it; Lambda hands the function epoch seconds.
              ...(r.dynamodb?.ApproximateCreationDateTime
                ? { ApproximateCreationDateTime: Math.floor(r.dynamodb.ApproximateCreationDateTime.getTime() / 1000) }
                : {}),
              NewImage: restoreImage(r.dynamodb?.NewImage as unknown as Record<string, Attribute>),
              OldImage: restoreImage(r.dynamodb?.OldImage as unknown as Record<string, Attribute>),
            },
            eventSourceARN: this.streamArn,
            awsRegion: 'us-east-1',
          }) as DynamoDBRecord,
      ),
    };
    let response: DynamoDBBatchResponse | undefined;
    try {
      response = await this.invoke(event);
    } catch (error) {
      process.stderr.write(`stream consumer failed: ${(error as Error).message}\n`);
      return undefined;
    }
    const firstFailure = response?.batchItemFailures?.[0]?.itemIdentifier;
    if (!firstFailure) return last;
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === firstFailure);
    return index > 0 ? records[index - 1]?.dynamodb?.SequenceNumber : undefined;
  }

  private save(shardId: string, sequenceNumber: string): void {
    this.positions.set(shardId, sequenceNumber);
    if (this.checkpointFile) {
      writeFileSync(this.checkpointFile, JSON.stringify({ streamArn: this.streamArn, positions: Object.fromEntries(this.positions) }));
    }
  }
}
