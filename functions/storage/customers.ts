import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db.ts';
import { createdSortKey, keys, nameSortKey } from './keys.ts';
import { putEvent, transact } from './transactions.ts';
import type { PendingEvent } from '../events/envelope.ts';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Bookkeeping every stored customer carries beside its attributes. */
export interface CustomerMeta {
  id: string;
  tenantId: string;
  /** Increases with every committed change; the ETag. */
  version: number;
  /** Number of events emitted for this customer so far (the events' `sequence`). */
  sequence: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** A stored customer: its bookkeeping plus its attributes (TMF629 today; the CRM fields join them later). */
export type CustomerRecord = CustomerMeta & { name: string } & Record<string, unknown>;

const STORAGE_ATTRIBUTES = ['pk', 'sk', 'entity', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

const toItem = (record: CustomerRecord): Record<string, unknown> => ({
  ...record,
  ...keys.customer(record.tenantId, record.id),
  entity: 'CUSTOMER',
  gsi1pk: keys.typeList(record.tenantId, 'CUSTOMER'),
  gsi1sk: createdSortKey(record.createdAt, record.id),
  gsi2pk: keys.nameIndex(record.tenantId),
  gsi2sk: nameSortKey(record.name, record.id),
});

const fromItem = (item: Record<string, unknown>): CustomerRecord => {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  return record as CustomerRecord;
};

export const getCustomer = async (tenantId: string, id: string): Promise<CustomerRecord | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.customer(tenantId, id), ConsistentRead: true }));
  return Item && Item.entity === 'CUSTOMER' ? fromItem(Item) : undefined;
};

/** Creates the customer with its event, and optionally the idempotency record, in one transaction. */
export const insertCustomer = async (record: CustomerRecord, event: PendingEvent, extra: TransactItem[] = []): Promise<void> => {
  const item = toItem(record);
  await transact([
    { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    putEvent(String(item.pk), event),
    ...extra,
  ]);
};

/** Replaces the customer if it is still at `expectedVersion`, with its events, in one transaction. */
export const replaceCustomer = async (record: CustomerRecord, expectedVersion: number, events: PendingEvent[]): Promise<void> => {
  const item = toItem(record);
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: item,
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    ...events.map((event) => putEvent(String(item.pk), event)),
  ]);
};

/** Deletes the customer if it is still at `expectedVersion`; its event stays in the timeline. */
export const removeCustomer = async (record: CustomerRecord, event: PendingEvent): Promise<void> => {
  const key = keys.customer(record.tenantId, record.id);
  await transact([
    {
      Delete: {
        TableName: tableName(),
        Key: key,
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': record.version },
      },
    },
    putEvent(key.pk, event),
  ]);
};

export interface CustomerPage {
  items: CustomerRecord[];
  /** Number of customers matching the filters, across all pages. */
  total: number;
}

const queryAll = async (input: QueryCommandInput): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

const batchGet = async (tenantId: string, ids: string[]): Promise<CustomerRecord[]> => {
  const found = new Map<string, CustomerRecord>();
  for (let i = 0; i < ids.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: ids.slice(i, i + 100).map((id) => keys.customer(tenantId, id)) },
    };
    while (request && Object.keys(request).length > 0) {
      const result = await db.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of result.Responses?.[tableName()] ?? []) if (item.entity === 'CUSTOMER') found.set(String(item.id), fromItem(item));
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return ids.flatMap((id) => found.get(id) ?? []);
};

/**
 * Lists a tenant's customers in creation order, with equality filters on first-level attributes.
 * The access path follows the most selective filter: `id` reads the items directly, `name` queries
 * the name index, anything else queries the tenant-wide list (gsi1) with a filter expression.
 * Only the keys are read to count and window the result; then just the window's items are fetched.
 */
export const listCustomers = async (
  tenantId: string,
  filters: Record<string, string[]>,
  offset: number,
  limit: number,
  matches: (record: Record<string, unknown>) => boolean,
): Promise<CustomerPage> => {
  if (filters.id) {
    const records = (await batchGet(tenantId, [...new Set(filters.id)])).filter(matches);
    records.sort((a, b) => createdSortKey(a.createdAt, a.id).localeCompare(createdSortKey(b.createdAt, b.id)));
    return { items: records.slice(offset, offset + limit), total: records.length };
  }
  if (filters.name) {
    const byName = await Promise.all(
      [...new Set(filters.name)].map((name) =>
        queryAll({
          TableName: tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.nameIndex(tenantId), ':prefix': `${name.toLowerCase()}#` },
        }),
      ),
    );
    const records = byName.flat().map(fromItem).filter(matches);
    records.sort((a, b) => createdSortKey(a.createdAt, a.id).localeCompare(createdSortKey(b.createdAt, b.id)));
    return { items: records.slice(offset, offset + limit), total: records.length };
  }
  const names: Record<string, string> = { '#id': 'id' };
  const values: Record<string, unknown> = { ':pk': keys.typeList(tenantId, 'CUSTOMER') };
  const clauses = Object.entries(filters).map(([attribute, options], i) => {
    names[`#f${i}`] = attribute;
    const alternatives = options.map((option, j) => {
      values[`:f${i}_${j}`] = option;
      return `#f${i} = :f${i}_${j}`;
    });
    return `(${alternatives.join(' OR ')})`;
  });
  const keyItems = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ProjectionExpression: '#id',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(clauses.length > 0 ? { FilterExpression: clauses.join(' AND ') } : {}),
  });
  const window = keyItems.slice(offset, offset + limit).map((item) => String(item.id));
  return { items: await batchGet(tenantId, window), total: keyItems.length };
};
