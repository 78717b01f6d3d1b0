/**
 * A customer's life after its live days: deleted (restorable until its window ends), restored,
 * purged (everything it owned, in bounded steps), erased (its personal data gone from every read
 * at once, a tombstone kept; what it owned, its linked BIAN plans included, deleted in bounded
 * steps). The customer item changes its `entity` and leaves every list and due index in one
 * transaction, so every read of every family stops seeing it at once; what it owned stays in its
 * item collection until the purge, which the due sweep runs in steps of bounded work.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, db, tableName, type ItemKey } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import { dueIndexKeys } from '../due/due-index.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
import { CUSTOMER_ENTITY, fromItem, isCounted, toItem, type CustomerRecord } from './customer-items.ts';
import { customerSideWrites } from './customer-side-writes.ts';
import { transactCustomer } from './unique-values.ts';
import { IDEMPOTENCY_REF_ENTITY } from '../idempotency.ts';
import { eraseLinkedPlansStep, PLAN_LINK_ENTITY, relinkPlan } from '../bian/plan-links.ts';
import { INDEX_KEY_ATTRIBUTES } from '../table/table-schema.ts';
import { decodeCursor, encodeCursor } from '../table/list-cursor.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

export const DELETED_CUSTOMER_ENTITY = 'DELETED_CUSTOMER';
export const ERASED_CUSTOMER_ENTITY = 'ERASED_CUSTOMER';
/** A duplicate merged into another customer (storage/customer-merge.ts): its record kept for an unmerge until its window ends. */
export const MERGED_CUSTOMER_ENTITY = 'MERGED_CUSTOMER';

/** When and by whom a customer was deleted, and when its window ends (then it is purged and cannot be restored). */
export interface Deletion {
  deletedAt: string;
  deletedBy: string;
  purgeAt: string;
}

/** What remains of an erased customer: its id, when, who asked; no personal data. */
export interface Tombstone {
  id: string;
  tenantId: string;
  erasedAt: string;
  erasedBy: string;
  /** Set when the last item the customer owned is gone. */
  erasureCompletedAt?: string;
}

/** What a merged duplicate's item records beside its record. */
export interface Merger {
  mergedInto: string;
  mergedAt: string;
  mergedBy: string;
  /** Until then it can be unmerged; then the due sweep deletes what is left of it. */
  purgeAt: string;
  /** Tags the survivor gained from it (an unmerge takes them off again). */
  tagsAdded: string[];
  /** Custom fields whose values the survivor took from it (an unmerge gives them back). */
  customFieldsAdded?: string[];
  /** When everything it owned had moved to the survivor. */
  movedAt?: string;
}

export type CustomerState =
  | { state: 'live'; record: CustomerRecord }
  | { state: 'deleted'; record: CustomerRecord; deletion: Deletion }
  | { state: 'merged'; record: CustomerRecord; merger: Merger }
  | { state: 'erased'; tombstone: Tombstone; version: number };

const DELETION_FIELDS = ['deletedAt', 'deletedBy', 'purgeAt'] as const;
const MERGER_FIELDS = ['mergedInto', 'mergedAt', 'mergedBy', 'purgeAt', 'tagsAdded', 'customFieldsAdded', 'movedAt'] as const;

/** The customer item in whatever state it is, or undefined when there is none (never was, or purged). */
export const getCustomerState = async (tenantId: string, id: string): Promise<CustomerState | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.customer(tenantId, id), ConsistentRead: true }));
  if (!Item) return undefined;
  if (Item.entity === CUSTOMER_ENTITY) return { state: 'live', record: fromItem(Item) };
  if (Item.entity === ERASED_CUSTOMER_ENTITY) {
    const { erasedAt, erasedBy, erasureCompletedAt } = Item as Record<string, string>;
    return {
      state: 'erased',
      tombstone: { id, tenantId, erasedAt: erasedAt!, erasedBy: erasedBy!, ...(erasureCompletedAt ? { erasureCompletedAt } : {}) },
      version: Number(Item.version),
    };
  }
  const record = fromItem(Item);
  if (Item.entity === MERGED_CUSTOMER_ENTITY) {
    const merger = Object.fromEntries(MERGER_FIELDS.filter((field) => record[field] !== undefined).map((field) => [field, record[field]])) as unknown as Merger;
    for (const field of MERGER_FIELDS) delete record[field];
    return { state: 'merged', record, merger };
  }
  const deletion = Object.fromEntries(DELETION_FIELDS.map((field) => [field, String(record[field])])) as unknown as Deletion;
  for (const field of DELETION_FIELDS) delete record[field];
  return { state: 'deleted', record, deletion };
};

/** The stored item without the keys of every index: out of every list. */
const withoutIndexKeys = (item: Record<string, unknown>): Record<string, unknown> => {
  const rest = { ...item };
  for (const attribute of INDEX_KEY_ATTRIBUTES) delete rest[attribute];
  return rest;
};

/** A Put of a customer's item, conditional on the customer still being live at `before`'s version. */
export const putLive = (before: CustomerRecord, item: Record<string, unknown>): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: item,
    ConditionExpression: 'entity = :live AND version = :expected',
    ExpressionAttributeValues: { ':live': CUSTOMER_ENTITY, ':expected': before.version },
  },
});

/**
 * The item of a customer that leaves every list, count and due index as `entity` (deleted,
 * merged): its record `after` kept (for a restore or an unmerge) with `extra` beside it, and due
 * at `dueAt`, when the sweep takes its next step.
 */
export const retiredItem = (before: CustomerRecord, after: CustomerRecord, entity: string, extra: object, dueAt: string): Record<string, unknown> => {
  const key = keys.customer(before.tenantId, before.id);
  return { ...withoutIndexKeys(toItem(after, isCounted(before))), ...extra, entity, ...dueIndexKeys(key.pk, key.sk, dueAt) };
};

/**
 * Deletes a live customer (still at its version): its item keeps the record for a restore, leaves
 * every list, count and due index, and enters the due index at `purgeAt`, when the sweep purges it.
 */
export const deleteCustomer = async (before: CustomerRecord, after: CustomerRecord, deletion: Deletion, events: PendingEvent[]): Promise<void> => {
  const { pk } = keys.customer(before.tenantId, before.id);
  await transactCustomer([
    putLive(before, retiredItem(before, after, DELETED_CUSTOMER_ENTITY, deletion, deletion.purgeAt)),
    ...events.map((event) => putEvent(pk, event)),
    ...customerSideWrites(before, undefined),
  ]);
};

const ENTITY_OF = { live: CUSTOMER_ENTITY, deleted: DELETED_CUSTOMER_ENTITY, merged: MERGED_CUSTOMER_ENTITY } as const;

/** How long a deleted customer can be restored: CUSTOMER_RETENTION_DAYS (the stack's `customerRetentionDays` context), 30 days by default. */
export const retentionMs = (): number => Number(process.env.CUSTOMER_RETENTION_DAYS ?? 30) * 86_400_000;

/** Restores a deleted customer (still deleted, at its version, inside its window) as `restored`: back in every list and count. */
export const restoreCustomer = async (deleted: CustomerRecord, restored: CustomerRecord, now: string, events: PendingEvent[]): Promise<void> => {
  const item = toItem(restored, isCounted(deleted));
  await transactCustomer([
    {
      Put: {
        TableName: tableName(),
        Item: item,
        ConditionExpression: 'entity = :deleted AND version = :expected AND purgeAt > :now',
        ExpressionAttributeValues: { ':deleted': DELETED_CUSTOMER_ENTITY, ':expected': deleted.version, ':now': now },
      },
    },
    ...events.map((event) => putEvent(String(item.pk), event)),
    ...customerSideWrites(undefined, restored),
  ]);
};

/**
 * Erases a customer (live or deleted, at its version): the item becomes a tombstone with no
 * personal data, out of every list and count, and due at once, so the sweep (and the erasure
 * request itself) purges what it owned.
 */
export const eraseCustomer = async (
  current: CustomerState & { state: 'live' | 'deleted' | 'merged' },
  tombstone: Tombstone,
  events: PendingEvent[],
): Promise<void> => {
  const key = keys.customer(tombstone.tenantId, tombstone.id);
  const { record } = current;
  const bookkeeping = { version: record.version + 1, sequence: record.sequence + events.length };
  await transactCustomer([
    {
      Put: {
        TableName: tableName(),
        Item: { ...key, entity: ERASED_CUSTOMER_ENTITY, ...tombstone, ...bookkeeping, ...dueIndexKeys(key.pk, key.sk, tombstone.erasedAt) },
        ConditionExpression: 'entity = :entity AND version = :expected',
        ExpressionAttributeValues: { ':entity': ENTITY_OF[current.state], ':expected': record.version },
      },
    },
    ...events.map((event) => putEvent(key.pk, event)),
    ...(current.state === 'live' ? customerSideWrites(record, undefined) : []),
  ]);
};

const PAGE = 100;

export interface PurgeProgress {
  /** Items deleted in this step. */
  deleted: number;
  /** Whether nothing the customer owned is left (for a deleted customer, not even its item). */
  done: boolean;
}

/**
 * One step of the purge of a deleted (window over) or erased customer's item collection: pages of
 * at most 100 keys, deleted 25 at a time, with the idempotency records they point at, until
 * `until` (an epoch ms) or the end. An erased customer's linked BIAN plans are erased first, whole
 * (plan-links.ts: once a plan item is gone nothing more can be written to it, so no mirrored
 * activity lands after the collection is purged); a deleted customer's plans lose the link and
 * keep their records. The customer item goes last: a deleted customer's is deleted (only if it is
 * still deleted and its window over), an erased one's tombstone stays, out of the due index,
 * marked complete. Re-entrant: a step that stops early leaves the rest to the next.
 */
export const purgeStep = async (kind: 'deleted' | 'merged' | 'erased', tenantId: string, id: string, until: number, now: string): Promise<PurgeProgress> => {
  const customer = keys.customer(tenantId, id);
  let deleted = 0;
  if (kind === 'erased') {
    const plans = await eraseLinkedPlansStep(tenantId, id, until);
    deleted += plans.deleted;
    if (!plans.done) return { deleted, done: false };
  }
  // A plan linked to an erased customer while this step ran: its pointer stays for the next step, which erases the plan.
  let linkedMeanwhile = false;
  let start: Record<string, unknown> | undefined;
  do {
    if (Date.now() >= until) return { deleted, done: false };
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': customer.pk },
        ProjectionExpression: 'pk, sk, entity, target, planId',
        ConsistentRead: true,
        Limit: PAGE,
        ExclusiveStartKey: start,
      }),
    );
    const owned = (page.Items ?? []).filter((item) => item.sk !== customer.sk);
    const targets = owned.flatMap((item) => (item.entity === IDEMPOTENCY_REF_ENTITY && item.target ? [item.target as ItemKey] : []));
    const links = owned.filter((item) => item.entity === PLAN_LINK_ENTITY);
    if (kind === 'erased') linkedMeanwhile ||= links.length > 0;
    else for (const link of links) await relinkPlan(tenantId, String(link.planId), id, undefined);
    const kept = kind === 'erased' ? links : [];
    const gone = [...targets, ...owned.filter((item) => !kept.includes(item)).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }))];
    await batchWrite(gone.map((Key) => ({ DeleteRequest: { Key } })));
    deleted += gone.length;
    start = page.LastEvaluatedKey;
  } while (start);
  if (linkedMeanwhile) return { deleted, done: false };
  const last: TransactItem =
    kind === 'erased'
      ? {
          Update: {
            TableName: tableName(),
            Key: customer,
            UpdateExpression: 'SET erasureCompletedAt = :now REMOVE duePk, dueSk',
            ConditionExpression: 'entity = :erased',
            ExpressionAttributeValues: { ':now': now, ':erased': ERASED_CUSTOMER_ENTITY },
          },
        }
      : {
          Delete: {
            TableName: tableName(),
            Key: customer,
            ConditionExpression: 'entity = :entity AND purgeAt <= :now',
            ExpressionAttributeValues: { ':entity': kind === 'merged' ? MERGED_CUSTOMER_ENTITY : DELETED_CUSTOMER_ENTITY, ':now': now },
          },
        };
  try {
    await transact([last]);
  } catch (error) {
    // Another step finished it first.
    if (!(error instanceof ConditionFailed)) throw error;
  }
  return { deleted: deleted + 1, done: true };
};

/**
 * One part of everything a customer's item collection holds, in stored order after the customer
 * item: at most `limit` items, one Query (so at most 1 MB), and the signed cursor of the next part.
 */
export const exportPart = async (
  tenantId: string,
  id: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: Record<string, unknown>[]; next?: string }> => {
  const { pk } = keys.customer(tenantId, id);
  const list = JSON.stringify(['export', tenantId, id]);
  const after = cursor === undefined ? undefined : decodeCursor(cursor, list, 1, (sk) => sk.length > 0)[0];
  if (after === null) return { items: [] };
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: limit,
      ExclusiveStartKey: after ? { pk, sk: after } : undefined,
    }),
  );
  const next = page.LastEvaluatedKey ? encodeCursor(list, [String(page.LastEvaluatedKey.sk)]) : undefined;
  return { items: page.Items ?? [], ...(next ? { next } : {}) };
};
