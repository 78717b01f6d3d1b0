import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, getItems, tableName } from '../table/db.ts';
import { dueCutoff, duePartition } from './due-index.ts';
import { CUSTOMER_ENTITY, overdueListKeys } from '../customers/customer-items.ts';
import { DELETED_CUSTOMER_ENTITY, ERASED_CUSTOMER_ENTITY, MERGED_CUSTOMER_ENTITY } from '../customers/customer-lifecycle.ts';
import { UNMERGE_JOB_ENTITY } from '../customers/customer-merge.ts';
import { putEvent, transact } from '../table/transactions.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

/**
 * One page of a due-index shard: items due at or before `now`, earliest first. The index holds
 * keys only; the page's items are read in one strongly consistent BatchGetItem (an item that is
 * gone meanwhile is left out).
 */
export const queryDueShard = async (shard: number, now: string, limit: number, cursor?: Record<string, unknown>) => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byDue',
      KeyConditionExpression: 'duePk = :shard AND dueSk <= :cutoff',
      ExpressionAttributeValues: { ':shard': duePartition(shard), ':cutoff': dueCutoff(now) },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  const items = await getItems((page.Items ?? []).map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) })));
  return { items: items.flatMap((item) => (item ? [item] : [])), next: page.LastEvaluatedKey };
};

/**
 * What a due item is: a customer's next action, a BIAN incident's resolution target, an activity,
 * a customer to purge (deleted, its window over; or erased), a merged duplicate (to move into its
 * survivor, or to purge once its window is over), or an unmerge's move back.
 */
export type DueItemKind = 'customer' | 'incident' | 'activity' | 'deleted' | 'erased' | 'merged' | 'unmerge';

const KINDS: Record<string, DueItemKind> = {
  [CUSTOMER_ENTITY]: 'customer',
  BIAN_INCIDENT: 'incident',
  [DELETED_CUSTOMER_ENTITY]: 'deleted',
  [ERASED_CUSTOMER_ENTITY]: 'erased',
  [MERGED_CUSTOMER_ENTITY]: 'merged',
  [UNMERGE_JOB_ENTITY]: 'unmerge',
};

export const dueItemKind = (item: Record<string, unknown>): DueItemKind => KINDS[String(item.entity)] ?? 'activity';

/** Is the item still in the due index, due at or before `now` (not flagged, moved or completed meanwhile)? */
export const isStillDue = (item: Record<string, unknown>, now: string): boolean => item.duePk !== undefined && String(item.dueSk) <= dueCutoff(now);

export const getItem = async (key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

/**
 * Flags a due item in one transaction: the item is updated only if it is still what the sweep read
 * (same version, so the same due date and still open), records the flag, leaves the due index,
 * and its event item (deterministic id) is written with it. A customer whose next action is
 * flagged enters its tenant's overdue list (byNextAction) in the same write.
 */
export const flagDueItem = async (item: Record<string, unknown>, flag: { set: Record<string, unknown>; event?: PendingEvent }): Promise<void> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': item.version, ':next': Number(item.version) + 1 };
  const sets = ['version = :next'];
  if (flag.event) {
    names['#sequence'] = 'sequence';
    values[':sequence'] = flag.event.envelope.sequence;
    sets.push('#sequence = :sequence');
  }
  const flaggedDue = item.entity === CUSTOMER_ENTITY ? flag.set.nextActionFlaggedFor : undefined;
  const set = typeof flaggedDue === 'string' ? { ...flag.set, ...overdueListKeys(String(item.tenantId), String(item.id), flaggedDue) } : flag.set;
  Object.entries(set).forEach(([attribute, value], i) => {
    names[`#s${i}`] = attribute;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${sets.join(', ')} REMOVE duePk, dueSk`,
        ConditionExpression: 'version = :expected AND attribute_exists(duePk)',
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    },
    ...(flag.event ? [putEvent(String(item.pk), flag.event)] : []),
  ]);
};
