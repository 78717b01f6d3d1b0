import type { Bookkeeping } from '../table/bookkeeping.ts';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, getItems, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import { putEvent, transact, type TransactItem } from '../table/transactions.ts';
import { transactCustomer } from './unique-values.ts';
import { CUSTOMER_ENTITY, fromItem, isCounted, toItem, type CustomerRecord } from './customer-items.ts';
import { customerSideWrites } from './customer-side-writes.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';
import { BusinessMetric } from '../../business-metrics.ts';
import { count } from '../../observability.ts';

/** One customer: reads and writes of the customer item (lists are in customer-lists.ts). */

export const getCustomer = async (tenantId: string, id: string): Promise<CustomerRecord | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.customer(tenantId, id), ConsistentRead: true }));
  return Item && Item.entity === CUSTOMER_ENTITY ? fromItem(Item) : undefined;
};

/** The live customers of these ids, in their order (undefined where there is none): one batch read. */
export const getCustomers = async (tenantId: string, ids: string[]): Promise<(CustomerRecord | undefined)[]> =>
  (await getItems(ids.map((id) => keys.customer(tenantId, id)))).map((item) => (item?.entity === CUSTOMER_ENTITY ? fromItem(item) : undefined));

/**
 * Creates the customer with its events (numbered 1 to `record.sequence`), its count changes and
 * `extra`, in one transaction; `tenantCount: false` leaves the tenant's count to the caller (a bulk
 * import's chunk, which adds it once for all it created: customerCountAdditions).
 */
export const insertCustomer = async (
  record: CustomerRecord,
  events: PendingEvent[],
  extra: TransactItem[] = [],
  { tenantCount = true }: { tenantCount?: boolean } = {},
): Promise<void> => {
  const item = toItem(record, true);
  await transactCustomer([
    { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...events.map((event) => putEvent(String(item.pk), event)),
    ...customerSideWrites(undefined, record, tenantCount),
    ...extra,
  ]);
  count(BusinessMetric.CustomersCreated);
};

/** Replaces the customer `before` (if it is still at its version) with `after`, with its events and count changes, in one transaction. */
export const replaceCustomer = async (before: CustomerRecord, after: CustomerRecord, events: PendingEvent[]): Promise<void> => {
  const item = toItem(after, isCounted(before));
  await transactCustomer([
    {
      Put: {
        TableName: tableName(),
        Item: item,
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    ...events.map((event) => putEvent(String(item.pk), event)),
    ...customerSideWrites(before, after),
  ]);
};

/**
 * Adds or removes one tag as an atomic set update (ADD / DELETE on the string set), with the
 * event in the same transaction; `next` is the bookkeeping the change computed. The version condition only orders the events; a tag another
 * writer added meanwhile is never lost, because no write here replaces the set. No index shows
 * tags, so no index copy is rewritten.
 */
export const changeTag = async (record: CustomerRecord, next: Bookkeeping, tag: string, add: boolean, event: PendingEvent): Promise<void> => {
  const key = keys.customer(record.tenantId, record.id);
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: `${add ? 'ADD' : 'DELETE'} tags :tag SET version = :next, #sequence = :sequence, updated = :now, updatedBy = :sub`,
        ConditionExpression: `version = :expected AND ${add ? 'NOT ' : ''}contains(tags, :name)`,
        ExpressionAttributeNames: { '#sequence': 'sequence' },
        ExpressionAttributeValues: {
          ':tag': new Set([tag]),
          ':name': tag,
          ':expected': record.version,
          ':next': next.version,
          ':sequence': next.sequence,
          ':now': next.updated,
          ':sub': next.updatedBy,
        },
      },
    },
    putEvent(key.pk, event),
  ]);
};

/**
 * What the enriched customer shows, in three Queries of its item collection sent at once, each
 * bounded however long the customer's history grows: the customer with its newest activities (their
 * sort keys sit just below `CUSTOMER`), its newest events and its newest opportunities (newest
 * first; ids are time-ordered).
 */
export const getCustomerOverview = async (tenantId: string, id: string, recent: { activities: number; events: number; opportunities: number }) => {
  const pk = keys.customer(tenantId, id).pk;
  const newest = (condition: string, values: Record<string, string>, limit: number) =>
    db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: { ':pk': pk, ...values },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
  const [head, events, opportunities] = await Promise.all([
    newest('sk BETWEEN :activities AND :customer', { ':activities': 'ACTIVITY#', ':customer': CUSTOMER_ENTITY }, recent.activities + 1),
    newest('begins_with(sk, :event)', { ':event': 'EVENT#' }, recent.events),
    newest('begins_with(sk, :opportunity)', { ':opportunity': 'OPPORTUNITY#' }, recent.opportunities),
  ]);
  const headItems = head.Items ?? [];
  const customer = headItems.find((item) => item.entity === CUSTOMER_ENTITY);
  return {
    customer: customer ? fromItem(customer) : undefined,
    activities: headItems.filter((item) => item.entity === 'ACTIVITY'),
    events: events.Items ?? [],
    opportunities: opportunities.Items ?? [],
  };
};
