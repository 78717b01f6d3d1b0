import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../table/db.ts';
import { allShards, keys, webhookDeliveryPartition } from '../table/keys.ts';
import { decodeCursor, encodeCursor } from '../table/list-cursor.ts';
import { readSharded } from '../table/sharded-query.ts';
import { TTL_ATTRIBUTE } from '../table/table-schema.ts';
import type { StoredEventRef } from '../event-feed.ts';

/**
 * The delivery log: one item per webhook and event (its id is the event's, as `webhook-id` is),
 * holding every attempt. It holds no event data — a redelivery reads the event again, so an erased
 * customer's events are never sent from here — and it expires after WEBHOOK_LOG_DAYS (30).
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'dropped' | 'skipped';

/** Statuses a delivery rests in: one may be redelivered. */
export const SETTLED: readonly DeliveryStatus[] = ['delivered', 'failed', 'dropped', 'skipped'];

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status; absent when none came (timeout, connection refused, address refused). */
  statusCode?: number;
  latencyMs: number;
  error?: string;
  /** The attempt was asked for (redeliver), not scheduled. */
  redelivery?: boolean;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** When the next scheduled attempt is due, while one is. */
  nextAttemptAt?: string;
  /** Why a delivery stopped without a receiver's answer (dropped, skipped). */
  reason?: string;
  created: string;
  updated: string;
  /** The stored event it delivers (not shown); none for a test delivery. */
  event?: StoredEventRef;
  /** A test delivery (`POST /api/v1/webhooks/{id}/test`): a `WebhookTest` event made for it, sent once. */
  test?: true;
}

/** Attempts one log entry keeps (a delivery makes at most 8 a round; redeliveries add rounds). */
export const MAX_LOGGED_ATTEMPTS = 50;

export const deliveryLogDays = (): number => Number(process.env.WEBHOOK_LOG_DAYS ?? 30);

const nowSeconds = () => Math.floor(Date.now() / 1000);

const deliveryOf = (item: Record<string, unknown>): Delivery => ({
  id: String(item.id),
  webhookId: String(item.webhookId),
  eventType: String(item.eventType),
  status: item.status as DeliveryStatus,
  attempts: (item.attempts as DeliveryAttempt[] | undefined) ?? [],
  ...(item.nextAttemptAt ? { nextAttemptAt: String(item.nextAttemptAt) } : {}),
  ...(item.reason ? { reason: String(item.reason) } : {}),
  created: String(item.created),
  updated: String(item.updated),
  ...(item.eventPk === undefined ? {} : { event: { pk: String(item.eventPk), sk: String(item.eventSk) } }),
  ...(item.test === true ? { test: true } : {}),
});

const live = (item: Record<string, unknown> | undefined): item is Record<string, unknown> => item !== undefined && Number(item[TTL_ATTRIBUTE]) > nowSeconds();

export interface DeliveryRecord {
  tenantId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** The stored event delivered; none for a test delivery. */
  event?: StoredEventRef;
  test?: true;
  status: DeliveryStatus;
  attempt?: DeliveryAttempt;
  nextAttemptAt?: string;
  reason?: string;
}

/** Records where a delivery stands (and the attempt just made), creating its log entry on the first; the entry's expiry moves with it. The entry as it now stands. */
export const recordDelivery = async (record: DeliveryRecord): Promise<Delivery> => {
  const now = new Date();
  const removals = [...(record.nextAttemptAt ? [] : ['nextAttemptAt']), ...(record.reason ? [] : ['reason'])];
  const update = (withAttempt: boolean) =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(record.tenantId, record.webhookId, record.eventId),
        UpdateExpression: [
          'SET id = :id, webhookId = :webhook, eventType = :type, #status = :status, created = if_not_exists(created, :now), updated = :now, #ttl = :ttl',
          ...(record.event ? [', eventPk = :epk, eventSk = :esk'] : []),
          ...(record.test ? [', test = :test'] : []),
          ...(withAttempt ? [', attempts = list_append(if_not_exists(attempts, :none), :attempt)'] : []),
          ...(record.nextAttemptAt ? [', nextAttemptAt = :next'] : []),
          ...(record.reason ? [', reason = :reason'] : []),
          ...(removals.length > 0 ? [` REMOVE ${removals.join(', ')}`] : []),
        ].join(''),
        ...(withAttempt ? { ConditionExpression: 'attribute_not_exists(attempts) OR size(attempts) < :max' } : {}),
        ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':id': record.eventId,
          ':webhook': record.webhookId,
          ':type': record.eventType,
          ...(record.event ? { ':epk': record.event.pk, ':esk': record.event.sk } : {}),
          ...(record.test ? { ':test': true } : {}),
          ':status': record.status,
          ':now': now.toISOString(),
          ':ttl': Math.floor(now.getTime() / 1000) + deliveryLogDays() * 86_400,
          ...(withAttempt ? { ':none': [], ':attempt': [record.attempt], ':max': MAX_LOGGED_ATTEMPTS } : {}),
          ...(record.nextAttemptAt ? { ':next': record.nextAttemptAt } : {}),
          ...(record.reason ? { ':reason': record.reason } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
  try {
    return deliveryOf((await update(record.attempt !== undefined)).Attributes!);
  } catch (error) {
    // A log entry that holds MAX_LOGGED_ATTEMPTS keeps its status current without more attempts.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return deliveryOf((await update(false)).Attributes!);
  }
};

/** One delivery of a webhook, or undefined (never made, or expired). */
export const getDelivery = async (tenantId: string, webhookId: string, eventId: string): Promise<Delivery | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.webhookDelivery(tenantId, webhookId, eventId), ConsistentRead: true }));
  return live(Item) ? deliveryOf(Item) : undefined;
};

/** The outcome of asking for a redelivery. */
export type RedeliveryClaim = { delivery: Delivery } | { refused: 'missing' } | { refused: 'busy'; status: DeliveryStatus };

/** Puts a settled delivery back to pending for a redelivery; refused when there is none or it is still under way. */
export const claimRedelivery = async (tenantId: string, webhookId: string, eventId: string): Promise<RedeliveryClaim> => {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(tenantId, webhookId, eventId),
        UpdateExpression: 'SET #status = :pending, updated = :now REMOVE nextAttemptAt, reason',
        ConditionExpression: `attribute_exists(pk) AND #ttl > :nowSeconds AND #status IN (${SETTLED.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':now': new Date().toISOString(),
          ':nowSeconds': nowSeconds(),
          ...Object.fromEntries(SETTLED.map((status, i) => [`:s${i}`, status])),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { delivery: deliveryOf(Attributes!) };
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const item = (error as { Item?: Record<string, unknown> }).Item;
    return live(item) ? { refused: 'busy', status: item.status as DeliveryStatus } : { refused: 'missing' };
  }
};

/** A page of a webhook's deliveries, newest first: its log's shards merged, expired entries left out. */
export const listDeliveries = async (
  tenantId: string,
  webhookId: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ deliveries: Delivery[]; next?: string }> => {
  const list = `webhookDeliveries:${tenantId}:${webhookId}`;
  const shards = allShards();
  const from = cursor ? decodeCursor(cursor, list, shards.length, (sk) => sk.startsWith('D#')) : undefined;
  const page = await readSharded(
    {
      partitionKey: 'pk',
      sortKey: 'sk',
      partitions: shards.map((shard) => webhookDeliveryPartition(tenantId, webhookId, shard)),
      sortPrefix: 'D#',
      filter: { expression: '#ttl > :now', names: { '#ttl': TTL_ATTRIBUTE }, values: { ':now': nowSeconds() } },
      tableKeyOf: (sk) => ({ pk: webhookDeliveryPartition(tenantId, webhookId, 0), sk }),
    },
    { limit, ...(from ? { from } : {}) },
  );
  return { deliveries: page.entries.map(deliveryOf), ...(page.next ? { next: encodeCursor(list, page.next) } : {}) };
};
