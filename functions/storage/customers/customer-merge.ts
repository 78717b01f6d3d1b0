/**
 * Merging duplicates into a surviving customer, and undoing it. The merge itself is one
 * transaction: the survivor gains the duplicates' tags and remembers their ids; each duplicate's
 * item becomes a merged one — out of every list, count and match key, its record kept, pointing at
 * the survivor. What a duplicate owned (activities, opportunities, timeline, idempotency pointers)
 * then moves into the survivor's collection in steps of bounded work (in the request for a
 * moment, by the due sweep after), each moved item marked with where it came from, so an unmerge
 * inside the retention window moves exactly those back. Moved event items are `MOVED_EVENT`: in
 * the timeline, not published again (the stream publishes inserted `EVENT` items only).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, db, tableName, type ItemKey } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import { dueIndexKeys } from '../due/due-index.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
import { isCounted, toItem, type CustomerRecord } from './customer-items.ts';
import { childFromItem, childItem, type ChildKind } from './customer-children.ts';
import { customerSideWrites } from './customer-side-writes.ts';
import { combineClaimWrites, transactCustomer, uniqueClaimChanges } from './unique-values.ts';
import { LimitReached } from '../table/errors.ts';
import { DYNAMODB_LIMITS } from '../table/limits.ts';
import { combineCounterWrites } from './counters.ts';
import { MERGED_CUSTOMER_ENTITY, putLive, retiredItem, type Merger } from './customer-lifecycle.ts';
import { EVENT_ENTITY } from '../table/table-schema.ts';
import { PLAN_LINK_ENTITY, relinkPlan } from '../bian/plan-links.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

export const MOVED_EVENT_ENTITY = 'MOVED_EVENT';
/** The job of moving an unmerged duplicate's items back: an item in the duplicate's collection, due while the move runs. */
export const UNMERGE_JOB_ENTITY = 'UNMERGE_JOB';
const UNMERGE_JOB_SK = 'JOB#UNMERGE';

/** How many duplicates one merge takes: each is about a dozen writes of the merge's one transaction, plus one per unique custom value it holds (DynamoDB allows 100; a merge past that is refused, 422). */
export const MAX_DUPLICATES = 5;

/** A merge's change of one duplicate: its record before and after (bookkeeping), what the merge records, its events. */
export interface DuplicateChange {
  record: CustomerRecord;
  next: CustomerRecord;
  merger: Merger;
  events: PendingEvent[];
}

/**
 * The merge, in one transaction: the customers' own items first (survivor first: a concurrent
 * change of any of them is what the optimistic retry retries, and DynamoDB names the first failed
 * condition), then their side writes, then the claims of the unique values the survivor takes — so
 * a value a duplicate gave up meanwhile is a re-read, not a 409.
 */
export const mergeCustomers = async (
  survivor: CustomerRecord,
  survivorNext: CustomerRecord,
  survivorEvents: PendingEvent[],
  duplicates: DuplicateChange[],
): Promise<void> => {
  const survivorKey = keys.customer(survivor.tenantId, survivor.id);
  const items: TransactItem[] = [
    putLive(survivor, toItem(survivorNext, isCounted(survivor))),
    ...survivorEvents.map((event) => putEvent(survivorKey.pk, event)),
  ];
  for (const { record, next, merger, events } of duplicates) {
    const { pk } = keys.customer(record.tenantId, record.id);
    const item = retiredItem(record, next, MERGED_CUSTOMER_ENTITY, merger, merger.mergedAt);
    items.push(putLive(record, item), ...events.map((event) => putEvent(pk, event)));
  }
  for (const { record } of duplicates) items.push(...customerSideWrites(record, undefined));
  // The unique values the survivor takes from a duplicate, which released them above: one claim write each (combineClaimWrites).
  items.push(...uniqueClaimChanges(survivor, survivorNext));
  const writes = combineClaimWrites(combineCounterWrites(items));
  if (writes.length > DYNAMODB_LIMITS.transactionItems)
    throw new LimitReached(
      `Merging these customers takes ${writes.length} writes in one transaction (their unique values and match keys among them); DynamoDB takes ${DYNAMODB_LIMITS.transactionItems}: merge fewer duplicates at once.`,
    );
  await transactCustomer(writes);
};

/**
 * The unmerge, in one transaction: the survivor (live, at its version) becomes `survivorNext`, the
 * duplicate (still merged into it, at its version, inside its window) a live customer again, and
 * the job that moves its items back is put, due at once.
 */
export const unmergeCustomer = async (
  survivor: CustomerRecord,
  survivorNext: CustomerRecord,
  duplicate: CustomerRecord,
  restored: CustomerRecord,
  now: string,
  events: { survivor: PendingEvent[]; duplicate: PendingEvent[] },
): Promise<void> => {
  const survivorKey = keys.customer(survivor.tenantId, survivor.id);
  const key = keys.customer(duplicate.tenantId, duplicate.id);
  const job = { pk: key.pk, sk: UNMERGE_JOB_SK };
  await transactCustomer(
    combineClaimWrites([
      putLive(survivor, toItem(survivorNext, isCounted(survivor))),
      {
        Put: {
          TableName: tableName(),
          Item: toItem(restored, isCounted(duplicate)),
          ConditionExpression: 'entity = :merged AND version = :expected AND mergedInto = :survivor AND purgeAt > :now',
          ExpressionAttributeValues: { ':merged': MERGED_CUSTOMER_ENTITY, ':expected': duplicate.version, ':survivor': survivor.id, ':now': now },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...job,
            entity: UNMERGE_JOB_ENTITY,
            tenantId: duplicate.tenantId,
            id: duplicate.id,
            survivorId: survivor.id,
            ...dueIndexKeys(job.pk, job.sk, now),
          },
        },
      },
      ...events.survivor.map((event) => putEvent(survivorKey.pk, event)),
      ...events.duplicate.map((event) => putEvent(key.pk, event)),
      // The survivor gives back the unique values it took from the duplicate, which takes them again: one claim write each.
      ...uniqueClaimChanges(survivor, survivorNext),
      ...customerSideWrites(undefined, restored),
    ]),
  );
};

const PAGE = 100;

/** An item of one customer's collection as stored in another's (`to`): marked with where it came from (`from`), or unmarked when it goes back. */
const relocated = (item: Record<string, unknown>, tenantId: string, to: string, from: string | undefined): Record<string, unknown> => {
  const entity = String(item.entity);
  if (entity === 'ACTIVITY' || entity === 'OPPORTUNITY') {
    const { mergedFrom: _from, ...record } = childFromItem(item);
    return childItem(entity as ChildKind, { ...record, customerId: to, ...(from ? { mergedFrom: from } : {}) });
  }
  const { mergedFrom: _from, ...rest } = item;
  return {
    ...rest,
    pk: keys.customer(tenantId, to).pk,
    ...(entity === EVENT_ENTITY ? { entity: MOVED_EVENT_ENTITY } : {}),
    ...(from ? { mergedFrom: from } : {}),
  };
};

/**
 * Moves items from one customer's collection (`owner`) to another's (`to`): puts first, then
 * deletes, so a step cut short is done again, never lost; a linked plan is pointed at its new customer.
 */
const move = async (items: Record<string, unknown>[], tenantId: string, owner: string, to: string, from: string | undefined): Promise<void> => {
  await batchWrite(items.map((item) => ({ PutRequest: { Item: relocated(item, tenantId, to, from) } })));
  for (const link of items.filter((item) => item.entity === PLAN_LINK_ENTITY)) await relinkPlan(tenantId, String(link.planId), owner, to);
  await batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk: String(item.pk), sk: String(item.sk) } as ItemKey } })));
};

/**
 * One step of moving a merged duplicate's items into its survivor: pages of at most 100 until
 * `until` or the end; at the end the duplicate's item records `movedAt` and waits, due at its
 * `purgeAt`, for its window to end. Re-entrant. Whether it is done.
 */
export const moveMergedStep = async (tenantId: string, duplicateId: string, survivorId: string, purgeAt: string, until: number): Promise<boolean> => {
  const key = keys.customer(tenantId, duplicateId);
  for (;;) {
    if (Date.now() >= until) return false;
    // From the start each time: what moved is gone from here, and a page of 100 holds at least 99 items still to move.
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.pk },
        ConsistentRead: true,
        Limit: PAGE,
      }),
    );
    const owned = (page.Items ?? []).filter((item) => item.sk !== key.sk);
    if (owned.length === 0) break;
    await move(owned, tenantId, duplicateId, survivorId, duplicateId);
  }
  try {
    const due = dueIndexKeys(key.pk, key.sk, purgeAt);
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET movedAt = :now, duePk = :duePk, dueSk = :dueSk',
          ConditionExpression: 'entity = :merged AND attribute_not_exists(movedAt)',
          ExpressionAttributeValues: { ':now': new Date().toISOString(), ':merged': MERGED_CUSTOMER_ENTITY, ':duePk': due.duePk, ':dueSk': due.dueSk },
        },
      },
    ]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error; // unmerged meanwhile, or another step finished it
  }
  return true;
};

/**
 * One step of an unmerge's move back: the survivor's items that came from the duplicate, found
 * page by page (a Query of at most 100 items, filtered; where it got to is kept in the job), moved
 * back until `until` or the end, when the job is deleted. Re-entrant. Whether it is done.
 */
export const moveBackStep = async (tenantId: string, duplicateId: string, survivorId: string, until: number): Promise<boolean> => {
  const { pk: survivorPk } = keys.customer(tenantId, survivorId);
  const job = { pk: keys.customer(tenantId, duplicateId).pk, sk: UNMERGE_JOB_SK };
  const { Items: [current] = [] } = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': job.pk, ':sk': job.sk },
      ConsistentRead: true,
    }),
  );
  if (!current) return true;
  let after = current.after as string | undefined;
  for (;;) {
    if (Date.now() >= until) {
      if (after)
        await transact([
          {
            Update: {
              TableName: tableName(),
              Key: job,
              UpdateExpression: 'SET #after = :after',
              ExpressionAttributeNames: { '#after': 'after' },
              ExpressionAttributeValues: { ':after': after },
            },
          },
        ]);
      return false;
    }
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'mergedFrom = :from',
        ExpressionAttributeValues: { ':pk': survivorPk, ':from': duplicateId },
        ConsistentRead: true,
        Limit: PAGE,
        ...(after ? { ExclusiveStartKey: { pk: survivorPk, sk: after } } : {}),
      }),
    );
    if ((page.Items ?? []).length > 0) await move(page.Items ?? [], tenantId, survivorId, duplicateId, undefined);
    if (!page.LastEvaluatedKey) break;
    after = String(page.LastEvaluatedKey.sk);
  }
  await transact([{ Delete: { TableName: tableName(), Key: job } }]);
  return true;
};
