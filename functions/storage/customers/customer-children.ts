import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../table/db.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { keys } from '../table/keys.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
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

/** An activity is in the sparse due index while it has a due date and is neither completed nor notified. */
const isDue = (kind: ChildKind, record: ChildRecord): record is ChildRecord & { dueDate: string } =>
  kind === 'ACTIVITY' && typeof record.dueDate === 'string' && record.completed !== true && record.dueNotifiedAt === undefined;

/** The stored item of a child record, with its due-index keys while it is due. */
export const childItem = (kind: ChildKind, record: ChildRecord): Record<string, unknown> => {
  const key = keys.child(record.tenantId, record.customerId, kind, record.id);
  return { ...record, ...key, entity: kind, ...(isDue(kind, record) ? dueIndexKeys(key.pk, key.sk, record.dueDate) : {}) };
};

/**
 * An activity's or opportunity's external id (issue 27: the id the system it came from knows it
 * by, what an import matches it by) is unique among its customer's of its kind: a claim item in the
 * customer's collection (`EXTERNAL#<kind>#<hash>`, outside the children's `<kind>#` range), taken in
 * the create's transaction and released by its delete. Set at creation, never changed.
 */
const externalIdClaim = (record: ChildRecord, kind: ChildKind, externalId: string) => ({
  pk: keys.customer(record.tenantId, record.customerId).pk,
  sk: `EXTERNAL#${kind}#${createHash('sha256').update(externalId).digest('base64url')}`,
});

/** A new child's external id that another of its customer's children of its kind holds (409). */
export class ChildExternalIdTaken extends Error {
  constructor(
    kind: ChildKind,
    readonly holderId: string | undefined,
  ) {
    super(`Another ${kind.toLowerCase()} of this customer${holderId ? ` ('${holderId}')` : ''} has this externalId.`);
    this.name = 'ChildExternalIdTaken';
  }
}

/** The child of its kind of the customer whose external id this is, if any. */
export const childHolding = async (kind: ChildKind, tenantId: string, customerId: string, externalId: string): Promise<string | undefined> => {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName(),
      Key: externalIdClaim({ tenantId, customerId } as ChildRecord, kind, externalId),
      ConsistentRead: true,
    }),
  );
  return Item ? String(Item.childId) : undefined;
};

/**
 * Writes a child record with its event in one transaction: a new one only while its customer
 * exists (and its external id is free), a changed one only if it is still at `expectedVersion`;
 * `extra` beside (a create's idempotency record).
 */
export const putChild = async (
  kind: ChildKind,
  record: ChildRecord,
  expectedVersion: number | undefined,
  events: PendingEvent[],
  extra: TransactItem[] = [],
): Promise<void> => {
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
  const externalId = expectedVersion === undefined && typeof record.externalId === 'string' ? record.externalId : undefined;
  const claim = externalId
    ? [
        {
          Put: {
            TableName: tableName(),
            Item: { ...externalIdClaim(record, kind, externalId), entity: CHILD_CLAIM_ENTITY, childId: record.id },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        },
      ]
    : [];
  try {
    await transact([put, live, ...claim, ...events.map((event) => putEvent(key.pk, event)), ...extra]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1) throw new CustomerNotLive(record.customerId);
    if (error instanceof ConditionFailed && error.index === 2 && claim.length > 0) throw new ChildExternalIdTaken(kind, heldBy(error));
    throw error;
  }
};

const CHILD_CLAIM_ENTITY = 'CHILD_EXTERNAL_ID';

/** The holder a refused claim names (the item DynamoDB returned with the refusal). */
const heldBy = ({ item }: ConditionFailed): string | undefined => (typeof item?.childId === 'string' ? item.childId : undefined);

/** Deletes a child still at `expectedVersion`, its external id's claim and its events in one transaction (a due activity leaves the due index with it). */
export const deleteChild = async (kind: ChildKind, record: ChildRecord, events: PendingEvent[]): Promise<void> => {
  const key = keys.child(record.tenantId, record.customerId, kind, record.id);
  await transact([
    {
      Delete: {
        TableName: tableName(),
        Key: key,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': record.version },
      },
    },
    ...(typeof record.externalId === 'string' ? [{ Delete: { TableName: tableName(), Key: externalIdClaim(record, kind, record.externalId) } }] : []),
    ...events.map((event) => putEvent(key.pk, event)),
  ]);
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
