import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './table/db.ts';
import { keys } from './table/keys.ts';
import { TTL_ATTRIBUTE } from './table/table-schema.ts';

/**
 * A rate limit's window as tokens leased in blocks (issue 25): a one-second window's limit is split
 * over up to RATE_SHARDS items, and a function instance takes a block of tokens from one of them
 * with one conditional UpdateItem — never more than the shard has left — then admits requests
 * from its block without asking again. The table never admits more than the limit in a window
 * (what instances lease is what they admit, or leave unused); no item takes more than its share of
 * a busy tenant's leases. Items expire a minute after their window.
 */
export const RATE_SHARDS = 4;

export const RATE_ENTITY = 'RATE';

/** How a limit splits over shards: as many as fit (at most RATE_SHARDS), each a whole share, the remainder to the first ones. */
export const shardCapacities = (limit: number): number[] => {
  const shards = Math.max(1, Math.min(RATE_SHARDS, limit));
  return Array.from({ length: shards }, (_, i) => Math.floor(limit / shards) + (i < limit % shards ? 1 : 0));
};

/**
 * Takes up to `want` tokens of a window's shard that holds `capacity`: all of them while the shard
 * has them, what it has left otherwise (0 when it is spent), and how many of the shard's are taken
 * now. One UpdateItem, and a second when the first finds fewer left than asked for.
 */
export const leaseTokens = async (
  tenantId: string,
  subject: string,
  window: number,
  shard: number,
  capacity: number,
  want: number,
): Promise<{ got: number; used: number }> => {
  const take = async (count: number): Promise<{ got: number; used?: number }> => {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.rateWindow(tenantId, subject, window, shard),
          UpdateExpression: 'ADD used :n SET entity = :entity, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(used) OR used <= :max',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':n': count, ':max': capacity - count, ':entity': RATE_ENTITY, ':ttl': window + 60 },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { got: count, used: Number(Attributes?.used ?? count) };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const item = (error as { Item?: Record<string, { N?: string }> }).Item;
      return { got: 0, used: Number(item?.used?.N ?? capacity) };
    }
  };
  const first = await take(Math.min(want, capacity));
  if (first.got > 0) return { got: first.got, used: first.used ?? first.got };
  const left = capacity - (first.used ?? capacity);
  if (left <= 0) return { got: 0, used: capacity };
  const second = await take(left);
  return { got: second.got, used: second.used ?? capacity };
};
