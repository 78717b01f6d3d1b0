import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db.ts';
import { DYNAMODB_LIMITS } from './limits.ts';
import type { IndexName } from './table-schema.ts';

/**
 * Reading a sharded index in order. Each shard is its own partition key with the same sort-key
 * layout; a list is the k-way merge of the shards by sort key. The shards are read lazily, a small
 * page at a time and in parallel, so a page of `limit` entries reads about `limit` entries plus at
 * most one small page per shard, however many entries the tenant has.
 */

/** Where a list stands in each shard: the last sort key handed out ('' = from the start), or null once the shard is exhausted. */
export type ShardPositions = (string | null)[];

/**
 * A partition of another index than the query's (same sort key attribute and order), for a list
 * that merges several: a caller's teams, their own customers and what is shared with them.
 */
export interface IndexPartition {
  index: IndexName;
  partitionKey: string;
  value: string;
  /** The table key of an entry of this partition, from its sort key (the query's `tableKeyOf` when absent). */
  tableKeyOf?: (sortKey: string) => { pk: string; sk: string };
}

export interface ShardedQuery {
  /** The index read; the table itself without one. */
  index?: IndexName;
  partitionKey: string;
  sortKey: string;
  /** One partition key value per shard (of the query's index), or a partition of another index. */
  partitions: (string | IndexPartition)[];
  /** Sort key condition: a prefix, or an exclusive upper bound. */
  sortPrefix?: string;
  sortBefore?: string;
  /** A filter on projected attributes, evaluated by DynamoDB inside each page. */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** The table key of an entry, from its index sort key (so a position is just a sort key). */
  tableKeyOf: (sortKey: string) => { pk: string; sk: string };
}

export interface ShardedRead {
  /** Entries to skip before the page (TMF629 `offset`): read as index keys, never as items. */
  skip?: number;
  limit: number;
  from?: ShardPositions;
  /** At most this many Query requests in all; a filtered list stops there and hands back where it stood. */
  maxRequests?: number;
}

export interface ShardedPage {
  /** The page's index entries in sort-key order (keys and projected attributes). */
  entries: Record<string, unknown>[];
  /** Where the next page starts; undefined when every shard is exhausted. */
  next?: ShardPositions;
}

interface Stream {
  buffer: Record<string, unknown>[];
  /** Where the next Query starts (undefined: from the beginning of the condition's range). */
  startKey?: Record<string, unknown>;
  done: boolean;
  /** The last sort key handed out or, when the buffer is empty, evaluated. */
  position: string;
}

/** DynamoDB orders string keys by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units). */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Does a sort key lie inside the query's condition? A position outside it is a forged or foreign cursor. */
export const withinCondition = (query: Pick<ShardedQuery, 'sortPrefix' | 'sortBefore'>, sortKey: string): boolean =>
  (query.sortPrefix === undefined || sortKey.startsWith(query.sortPrefix)) && (query.sortBefore === undefined || compareKeys(sortKey, query.sortBefore) < 0);

export const readSharded = async (query: ShardedQuery, read: ShardedRead): Promise<ShardedPage> => {
  // A prefix longer than any sort key can be matches nothing (and DynamoDB would refuse the Query).
  if (query.sortPrefix !== undefined && Buffer.byteLength(query.sortPrefix) > DYNAMODB_LIMITS.sortKeyBytes) return { entries: [] };
  const wanted = (read.skip ?? 0) + read.limit;
  const shards = query.partitions.length;
  // Each Query asks for a little over the shard's fair share of what is still wanted: the first
  // page, and a refill for a shard that runs dry, so the merge over-reads at most a few entries per shard.
  const pageSize = (taken: number) => Math.min(1000, Math.ceil((wanted - taken) / shards) + 4) * (query.filter ? 4 : 1);
  const maxRequests = read.maxRequests ?? Number.POSITIVE_INFINITY;
  const sources = query.partitions.map((partition) =>
    typeof partition === 'string' ? { index: query.index, partitionKey: query.partitionKey, value: partition, tableKeyOf: query.tableKeyOf } : partition,
  );
  const streams: Stream[] = sources.map((source, i) => {
    const from = read.from?.[i];
    return {
      buffer: [],
      done: from === null,
      position: from ?? '',
      startKey: from ? { ...(source.tableKeyOf ?? query.tableKeyOf)(from), [source.partitionKey]: source.value, [query.sortKey]: from } : undefined,
    };
  });
  let requests = 0;
  const fill = async (stream: Stream, source: (typeof sources)[number], limit: number): Promise<void> => {
    const names: Record<string, string> = { '#pk': source.partitionKey, ...(query.filter?.names ?? {}) };
    const values: Record<string, unknown> = { ':pk': source.value, ...(query.filter?.values ?? {}) };
    let condition = '#pk = :pk';
    if (query.sortPrefix !== undefined) {
      names['#sk'] = query.sortKey;
      values[':prefix'] = query.sortPrefix;
      condition += ' AND begins_with(#sk, :prefix)';
    } else if (query.sortBefore !== undefined) {
      names['#sk'] = query.sortKey;
      values[':before'] = query.sortBefore;
      condition += ' AND #sk < :before';
    }
    requests++;
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        ...(source.index ? { IndexName: source.index } : {}),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
        Limit: limit,
        ExclusiveStartKey: stream.startKey,
      }),
    );
    stream.buffer = page.Items ?? [];
    stream.startKey = page.LastEvaluatedKey;
    stream.done = !page.LastEvaluatedKey;
    // Everything up to the page's end was evaluated: filtered-out entries need not be read again.
    if (page.LastEvaluatedKey && stream.buffer.length === 0) stream.position = String(page.LastEvaluatedKey[query.sortKey]);
  };

  const taken: Record<string, unknown>[] = [];
  let stalled = false;
  while (taken.length < wanted) {
    const dry = streams.map((s, i) => [s, i] as const).filter(([s]) => s.buffer.length === 0 && !s.done);
    if (dry.length > 0) {
      if (requests + dry.length > maxRequests) {
        stalled = true;
        break;
      }
      await Promise.all(dry.map(([s, i]) => fill(s, sources[i]!, pageSize(taken.length))));
      continue;
    }
    let best: Stream | undefined;
    for (const stream of streams) {
      const head = stream.buffer[0];
      if (head !== undefined && (best === undefined || compareKeys(String(head[query.sortKey]), String(best.buffer[0]![query.sortKey])) < 0)) best = stream;
    }
    if (!best) break;
    const entry = best.buffer.shift()!;
    const key = String(entry[query.sortKey]);
    best.position = key;
    // One item listed in several merged partitions (a customer of my team I also own) is taken once.
    for (const stream of streams) {
      if (stream !== best && stream.buffer[0] !== undefined && String(stream.buffer[0][query.sortKey]) === key) {
        stream.buffer.shift();
        stream.position = key;
      }
    }
    taken.push(entry);
  }
  const skip = Math.min(read.skip ?? 0, taken.length);
  const exhausted = !stalled && streams.every((s) => s.done && s.buffer.length === 0);
  return {
    entries: taken.slice(skip),
    next: exhausted ? undefined : streams.map((s) => (s.done && s.buffer.length === 0 ? null : s.position)),
  };
};
