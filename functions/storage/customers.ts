import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, getItems, tableName } from './db.ts';
import { createdSortKey, keys, nameSortKey } from './keys.ts';
import { putEvent, transact } from './transactions.ts';
import { dueIndexKeys, instantKey } from './due-index.ts';
import type { PendingEvent } from '../events/envelope.ts';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BusinessMetric } from '../business-metrics.ts';
import { count } from '../observability.ts';

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

const STORAGE_ATTRIBUTES = ['pk', 'sk', 'entity', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk', 'gsi6pk', 'gsi6sk'];

/**
 * The stored item: the record, its keys, and the index keys of every list it belongs to — tenant
 * list (gsi1), name (gsi2), owner (gsi3, when owned), CRM status (gsi4), next-action due date
 * (gsi5, when set). Tags are a DynamoDB string set, so tag changes can be atomic set updates.
 */
export const toItem = (record: CustomerRecord): Record<string, unknown> => {
  const tags = record.tags as string[] | undefined;
  const { tags: _tags, ...rest } = record;
  return {
    ...rest,
    ...(tags && tags.length > 0 ? { tags: new Set(tags) } : {}),
    ...keys.customer(record.tenantId, record.id),
    entity: 'CUSTOMER',
    gsi1pk: keys.typeList(record.tenantId, 'CUSTOMER'),
    gsi1sk: createdSortKey(record.createdAt, record.id),
    gsi2pk: keys.nameIndex(record.tenantId),
    gsi2sk: nameSortKey(record.name, record.id),
    ...(record.ownerId ? { gsi3pk: keys.ownerIndex(record.tenantId, String(record.ownerId)), gsi3sk: nameSortKey(record.name, record.id) } : {}),
    gsi4pk: keys.crmStatusIndex(record.tenantId, String(record.crmStatus ?? 'LEAD')),
    gsi4sk: nameSortKey(record.name, record.id),
    ...(record.nextActionDueDate ? { gsi5pk: keys.nextActionIndex(record.tenantId), gsi5sk: `${instantKey(String(record.nextActionDueDate))}#${record.id}` } : {}),
    // In the sparse due index while the next action's due date has not been flagged.
    ...(record.nextActionDueDate && record.nextActionFlaggedFor !== record.nextActionDueDate
      ? dueIndexKeys(keys.customer(record.tenantId, record.id).pk, 'CUSTOMER', String(record.nextActionDueDate))
      : {}),
  };
};

export const fromItem = (item: Record<string, unknown>): CustomerRecord => {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  record.tags = item.tags instanceof Set ? [...(item.tags as Set<string>)].sort() : [];
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
  count(BusinessMetric.CustomersCreated);
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

const batchGet = async (tenantId: string, ids: string[]): Promise<CustomerRecord[]> =>
  (await getItems(ids.map((id) => keys.customer(tenantId, id)), { consistent: false })).flatMap((item) => (item?.entity === 'CUSTOMER' ? [fromItem(item)] : []));

/** Records read directly (not from the creation-ordered index), in creation order, windowed. */
const windowOf = (records: CustomerRecord[], offset: number, limit: number): CustomerPage => {
  records.sort((a, b) => createdSortKey(a.createdAt, a.id).localeCompare(createdSortKey(b.createdAt, b.id)));
  return { items: records.slice(offset, offset + limit), total: records.length };
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
    return windowOf((await batchGet(tenantId, [...new Set(filters.id)])).filter(matches), offset, limit);
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
    return windowOf(byName.flat().map(fromItem).filter(matches), offset, limit);
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

/** An opaque list position: the index's LastEvaluatedKey, base64url JSON. */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export class InvalidCursor extends Error {
  constructor() {
    super('cursor is not one this API gave out');
    this.name = 'InvalidCursor';
  }
}

/** Decodes a cursor and checks it belongs to the tenant (its keys start with the tenant prefix). */
export const decodeCursor = (cursor: string | undefined, tenantId: string): Record<string, unknown> | undefined => {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  const prefix = `${keys.tenantPrefix(tenantId)}#`;
  if (typeof key !== 'object' || key === null || !Object.values(key).every((v) => typeof v === 'string') || !String((key as { pk?: unknown }).pk ?? '').startsWith(prefix)) {
    throw new InvalidCursor();
  }
  return key as Record<string, unknown>;
};

export interface IndexPageQuery {
  index: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5';
  partition: string;
  /** Sort key condition: a prefix, or an upper bound (exclusive). */
  sortPrefix?: string;
  sortBefore?: string;
  filters?: { attribute: string; equals?: string; contains?: string }[];
  limit: number;
  cursor?: Record<string, unknown>;
}

/** One Query on one index, one page: the customers and the cursor of the next page. */
export const queryCustomerPage = async (query: IndexPageQuery): Promise<{ items: CustomerRecord[]; next?: Record<string, unknown> }> => {
  const pk = `${query.index}pk`;
  const sk = `${query.index}sk`;
  const names: Record<string, string> = { '#pk': pk };
  const values: Record<string, unknown> = { ':pk': query.partition };
  let condition = '#pk = :pk';
  if (query.sortPrefix !== undefined) {
    names['#sk'] = sk;
    values[':prefix'] = query.sortPrefix;
    condition += ' AND begins_with(#sk, :prefix)';
  } else if (query.sortBefore !== undefined) {
    names['#sk'] = sk;
    values[':before'] = query.sortBefore;
    condition += ' AND #sk < :before';
  }
  const clauses = (query.filters ?? []).map((filter, i) => {
    names[`#f${i}`] = filter.attribute;
    values[`:f${i}`] = filter.equals ?? filter.contains;
    return filter.equals !== undefined ? `#f${i} = :f${i}` : `contains(#f${i}, :f${i})`;
  });
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: query.index,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(clauses.length > 0 ? { FilterExpression: clauses.join(' AND ') } : {}),
      Limit: query.limit,
      ExclusiveStartKey: query.cursor,
    }),
  );
  return { items: (page.Items ?? []).map(fromItem), next: page.LastEvaluatedKey };
};

/**
 * Adds or removes one tag as an atomic set update (ADD / DELETE on the string set), with the
 * event in the same transaction. The version condition only orders the events; a tag another
 * writer added meanwhile is never lost, because no write here replaces the set.
 */
export const changeTag = async (record: CustomerRecord, tag: string, add: boolean, event: PendingEvent, now: string, sub: string): Promise<void> => {
  const key = keys.customer(record.tenantId, record.id);
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: `${add ? 'ADD' : 'DELETE'} tags :tag SET version = :next, #sequence = :sequence, updatedAt = :now, updatedBy = :sub`,
        ConditionExpression: `version = :expected AND ${add ? 'NOT ' : ''}contains(tags, :name)`,
        ExpressionAttributeNames: { '#sequence': 'sequence' },
        ExpressionAttributeValues: {
          ':tag': new Set([tag]),
          ':name': tag,
          ':expected': record.version,
          ':next': record.version + 1,
          ':sequence': event.envelope.sequence,
          ':now': now,
          ':sub': sub,
        },
      },
    },
    putEvent(key.pk, event),
  ]);
};

/** The customer's whole item collection in one Query: the customer, activities, opportunities and timeline. */
/**
 * What the enriched customer shows, in three Queries of its item collection sent at once, each
 * bounded however long the customer's history grows: the customer with its newest activities (their
 * sort keys sit just below `CUSTOMER`), its newest events (newest first), and its opportunities.
 */
export const getCustomerOverview = async (tenantId: string, id: string, recent: { activities: number; events: number }) => {
  const pk = keys.customer(tenantId, id).pk;
  const newest = (condition: string, values: Record<string, string>, limit: number) =>
    db.send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: `pk = :pk AND ${condition}`, ExpressionAttributeValues: { ':pk': pk, ...values }, ScanIndexForward: false, Limit: limit }));
  const [head, events, opportunities] = await Promise.all([
    newest('sk BETWEEN :activities AND :customer', { ':activities': 'ACTIVITY#', ':customer': 'CUSTOMER' }, recent.activities + 1),
    newest('begins_with(sk, :event)', { ':event': 'EVENT#' }, recent.events),
    queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :opportunity)', ExpressionAttributeValues: { ':pk': pk, ':opportunity': 'OPPORTUNITY#' } }),
  ]);
  const headItems = head.Items ?? [];
  const customer = headItems.find((item) => item.entity === 'CUSTOMER');
  return {
    customer: customer ? fromItem(customer) : undefined,
    activities: headItems.filter((item) => item.entity === 'ACTIVITY'),
    events: events.Items ?? [],
    opportunities,
  };
};

/** The bookkeeping of a customer about to be created: version 1, its first event, who and when. */
export const newCustomerMeta = (id: string, tenantId: string, sub: string, now = new Date().toISOString()): CustomerMeta => ({
  id,
  tenantId,
  version: 1,
  sequence: 1,
  createdAt: now,
  createdBy: sub,
  updatedAt: now,
  updatedBy: sub,
});
