import type { TransactItem } from '../table/transactions.ts';
import { tableName, type ItemKey } from '../table/db.ts';
import { allShards, keys, shardOf } from '../table/keys.ts';
import { isCounted, type CustomerRecord } from './customer-items.ts';

/**
 * Counts that lists report without counting: the tenant's customers (X-Total-Count of the
 * unfiltered TMF list) and its customers per exact name (of a `name` filter). They are kept in the
 * transactions of the writes that change them. The tenant's count is sharded like the indexes (a
 * customer counts in its own shard), so no counter item takes all of a tenant's creates; a name
 * count is one item per name.
 */

/**
 * Atomic additions to the counters of one item (`ADD`, so concurrent writers never lose each
 * other's counts), marking the item with its entity: the one shape of every counter write —
 * customer counts here, case statistics, hub registrations, and the backfill's (which names its
 * `table`). With `below`, the write (and so its transaction) fails its condition unless every
 * counter is still under it: a bounded collection's count.
 */
export const addToCounters = (key: ItemKey, delta: Record<string, number>, entity: string, options: { table?: string; below?: number } = {}): TransactItem => {
  const entries = Object.entries(delta);
  const { below } = options;
  return {
    Update: {
      TableName: options.table ?? tableName(),
      Key: key,
      UpdateExpression: `SET entity = :entity ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ...(below === undefined ? {} : { ConditionExpression: entries.map((_, i) => `(attribute_not_exists(#c${i}) OR #c${i} < :below)`).join(' AND ') }),
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: {
        ':entity': entity,
        ...Object.fromEntries(entries.map(([, value], i) => [`:c${i}`, value])),
        ...(below === undefined ? {} : { ':below': below }),
      },
    },
  };
};

/**
 * The counter writes of several changes made one: DynamoDB refuses a transaction with two
 * operations on one item, and the customers of one merge may share a count shard or a name. Counter
 * additions (addToCounters, without a ceiling) to the same item and counters are summed; every
 * other write is kept as it is.
 */
export const combineCounterWrites = (items: TransactItem[]): TransactItem[] => {
  const combined: TransactItem[] = [];
  const byTarget = new Map<string, NonNullable<TransactItem['Update']>>();
  for (const item of items) {
    const update = item.Update;
    const isAddition = update && !update.ConditionExpression && update.UpdateExpression?.startsWith('SET entity = :entity ADD ');
    if (!isAddition) {
      combined.push(item);
      continue;
    }
    const target = JSON.stringify([update.Key, update.UpdateExpression, update.ExpressionAttributeNames]);
    const seen = byTarget.get(target);
    if (!seen) {
      const copy = { ...update, ExpressionAttributeValues: { ...update.ExpressionAttributeValues } };
      byTarget.set(target, copy);
      combined.push({ Update: copy });
      continue;
    }
    for (const [name, value] of Object.entries(update.ExpressionAttributeValues ?? {}))
      if (name.startsWith(':c')) seen.ExpressionAttributeValues![name] = Number(seen.ExpressionAttributeValues![name]) + Number(value);
  }
  return combined;
};

/** One customer more or less in a count item. */
export const COUNT_ENTITY = 'COUNT';
const add = (key: ItemKey, amount: number): TransactItem => addToCounters(key, { n: amount }, COUNT_ENTITY);

/**
 * The counter updates a customer write makes: a create (no `before`), a delete (no `after`), or a
 * change. `tenantCount: false` leaves the tenant's count to the writer, which adds it later
 * (customerCountAdditions: a bulk import's chunk, once for all it created).
 */
export const customerCountChanges = (before: CustomerRecord | undefined, after: CustomerRecord | undefined, tenantCount = true): TransactItem[] => {
  if (before && !isCounted(before)) return []; // written before the counters; the backfill counts it
  const record = (after ?? before)!;
  const changes: TransactItem[] = [];
  if ((!before || !after) && tenantCount) {
    changes.push(add(keys.customerCount(record.tenantId, shardOf(record.id)), after ? 1 : -1));
  }
  if (before?.name !== after?.name) {
    if (before) changes.push(add(keys.nameCount(record.tenantId, before.name), -1));
    if (after) changes.push(add(keys.nameCount(record.tenantId, after.name), 1));
  }
  return changes;
};

/**
 * The tenant's count of customers created in bulk, each shard's one summed update: what a chunk of
 * an import adds once, in the transaction that counts the chunk, for the customers it created
 * without counting them (their creates passed `tenantCount: false`) — so the shard items take one
 * write a chunk, not one a row, and no two writers of a tenant's rows contend for them.
 */
export const customerCountAdditions = (tenantId: string, createdIds: readonly string[]): TransactItem[] => {
  const byShard = new Map<number, number>();
  for (const id of createdIds) byShard.set(shardOf(id), (byShard.get(shardOf(id)) ?? 0) + 1);
  return [...byShard].map(([shard, amount]) => add(keys.customerCount(tenantId, shard), amount));
};

/** The keys of the tenant's customer count shards (read them together, e.g. with a page's items). */
export const customerCountKeys = (tenantId: string): ItemKey[] => allShards().map((shard) => keys.customerCount(tenantId, shard));

/** The sum of counter items read (absent ones count 0). */
export const sumCounts = (items: (Record<string, unknown> | undefined)[]): number => items.reduce((total, item) => total + Number(item?.n ?? 0), 0);
