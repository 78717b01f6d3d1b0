import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../table/db.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { keys } from '../table/keys.ts';
import { ConditionFailed, putEvent, transact } from '../table/transactions.ts';
import { CustomerNotLive } from '../table/errors.ts';
import { dueIndexKeys } from '../due/due-index.ts';
import { decodeCursor, encodeCursor } from '../table/list-cursor.ts';
import { INDEX_KEY_ATTRIBUTES } from '../table/table-schema.ts';
import { CUSTOMER_ENTITY } from './customer-items.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

/** Activities and opportunities: records in their customer's item collection. */
export type ChildKind = 'ACTIVITY' | 'OPPORTUNITY';

export interface ChildRecord extends Bookkeeping {
  id: string;
  customerId: string;
  tenantId: string;
  [key: string]: unknown;
}

const STORAGE = ['pk', 'sk', 'entity', ...INDEX_KEY_ATTRIBUTES];
export const childFromItem = (item: Record<string, unknown>): ChildRecord => {
  const record = { ...item };
  for (const attribute of STORAGE) delete record[attribute];
  return record as ChildRecord;
};

export const getChild = async (kind: ChildKind, tenantId: string, customerId: string, id: string): Promise<ChildRecord | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.child(tenantId, customerId, kind, id), ConsistentRead: true }));
  return Item ? childFromItem(Item) : undefined;
};

/**
 * Writes a child record with its event in one transaction: a new one only while its customer
 * exists, a changed one only if it is still at `expectedVersion`.
 */
/** An activity is in the sparse due index while it has a due date and is neither completed nor notified. */
const isDue = (kind: ChildKind, record: ChildRecord): record is ChildRecord & { dueDate: string } =>
  kind === 'ACTIVITY' && typeof record.dueDate === 'string' && record.completed !== true && record.dueNotifiedAt === undefined;

/** The stored item of a child record, with its due-index keys while it is due. */
export const childItem = (kind: ChildKind, record: ChildRecord): Record<string, unknown> => {
  const key = keys.child(record.tenantId, record.customerId, kind, record.id);
  return { ...record, ...key, entity: kind, ...(isDue(kind, record) ? dueIndexKeys(key.pk, key.sk, record.dueDate) : {}) };
};

export const putChild = async (kind: ChildKind, record: ChildRecord, expectedVersion: number | undefined, events: PendingEvent[]): Promise<void> => {
  const key = keys.child(record.tenantId, record.customerId, kind, record.id);
  const item = childItem(kind, record);
  const customerKey = keys.customer(record.tenantId, record.customerId);
  // The customer must be live (not deleted or erased) for any write of what it owns: no orphan is made while a delete runs.
  const live = {
    ConditionCheck: {
      TableName: tableName(),
      Key: customerKey,
      ConditionExpression: 'entity = :live',
      ExpressionAttributeValues: { ':live': CUSTOMER_ENTITY },
    },
  };
  // The child's own condition comes first: a concurrent change of it is what the optimistic retry retries (index 0).
  const put =
    expectedVersion === undefined
      ? { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }
      : {
          Put: { TableName: tableName(), Item: item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } },
        };
  try {
    await transact([put, live, ...events.map((event) => putEvent(key.pk, event))]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1) throw new CustomerNotLive(record.customerId);
    throw error;
  }
};

/** A page of a customer's children, newest first (their ids are time-ordered), and the cursor of the next. */
export const listChildren = async (
  kind: ChildKind,
  tenantId: string,
  customerId: string,
  limit: number,
  cursor?: string,
): Promise<{ items: ChildRecord[]; next?: string }> => {
  const pk = keys.customer(tenantId, customerId).pk;
  const list = JSON.stringify(['children', kind, tenantId, customerId]);
  const after = cursor === undefined ? undefined : decodeCursor(cursor, list, 1, (sk) => sk.startsWith(`${kind}#`))[0];
  if (after === null) return { items: [] };
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
      ExpressionAttributeValues: { ':pk': pk, ':kind': `${kind}#` },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: after ? { pk, sk: after } : undefined,
    }),
  );
  const next = page.LastEvaluatedKey ? encodeCursor(list, [String(page.LastEvaluatedKey.sk)]) : undefined;
  return { items: (page.Items ?? []).map(childFromItem), next };
};
