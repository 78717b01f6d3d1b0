import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db.ts';
import { dueCutoff, duePartition } from './due-index.ts';
import { putEvent, transact } from './transactions.ts';
import type { PendingEvent } from '../events/envelope.ts';

/** One page of a due-index shard: items due at or before `now`, earliest first (full items: the index projects all). */
export const queryDueShard = async (shard: number, now: string, limit: number, cursor?: Record<string, unknown>) => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi6',
      KeyConditionExpression: 'gsi6pk = :shard AND gsi6sk <= :cutoff',
      ExpressionAttributeValues: { ':shard': duePartition(shard), ':cutoff': dueCutoff(now) },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: page.Items ?? [], next: page.LastEvaluatedKey };
};

export const getItem = async (key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

/**
 * Flags a due item in one transaction: the item is updated only if it is still what the sweep read
 * (same version, so the same due date and still open), records the flag, leaves the due index,
 * and its event item (deterministic id) is written with it.
 */
export const flagDueItem = async (
  item: Record<string, unknown>,
  flag: { set: Record<string, unknown>; event?: PendingEvent },
): Promise<void> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': item.version, ':next': Number(item.version) + 1 };
  const sets = ['version = :next'];
  if (flag.event) {
    names['#sequence'] = 'sequence';
    values[':sequence'] = flag.event.envelope.sequence;
    sets.push('#sequence = :sequence');
  }
  Object.entries(flag.set).forEach(([attribute, value], i) => {
    names[`#s${i}`] = attribute;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${sets.join(', ')} REMOVE gsi6pk, gsi6sk`,
        ConditionExpression: 'version = :expected AND attribute_exists(gsi6pk)',
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    },
    ...(flag.event ? [putEvent(String(item.pk), flag.event)] : []),
  ]);
};
