import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { LimitReached } from '../table/errors.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';
import { addToCounters, COUNT_ENTITY } from '../customers/counters.ts';
import type { SecretOwner, StoredSecret } from '../table/sealed-secrets.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

/** A webhook subscription: where to deliver which of the tenant's events, signed with which secrets. */
export interface Webhook extends Bookkeeping {
  id: string;
  tenantId: string;
  url: string;
  /** Event types (detail-types) delivered, or `*` for every type. */
  eventTypes: string[];
  description?: string;
  enabled: boolean;
  disabledReason?: string;
  disabledAt?: string;
  /** Sealed (sealed-secrets.ts): only the delivery worker opens it, to sign. */
  secret: StoredSecret;
  /** The secret before the last rotation, sealed as the current one: it signs too until `previousSecretExpiresAt`. */
  previousSecret?: StoredSecret;
  previousSecretExpiresAt?: string;
  /** Kept beside the subscription by the delivery worker (not a change of it): since when every delivery has failed. */
  failingSince?: string;
}

/**
 * How many webhooks a tenant may hold. The dispatcher reads them all for each batch of the
 * tenant's events, so they are bounded: one Query page.
 */
export const MAX_WEBHOOKS = 100;

/** The record a webhook's secrets are sealed for. */
export const webhookSecretOwner = (webhook: Pick<Webhook, 'tenantId' | 'id'>): SecretOwner => ({
  tenantId: webhook.tenantId,
  record: 'webhook',
  id: webhook.id,
});

export const WEBHOOK_ENTITY = 'WEBHOOK';
const HEALTH_ENTITY = 'WEBHOOK_HEALTH';
const webhookCount = (tenantId: string) => ({ pk: keys.webhooks(tenantId), sk: 'COUNT' });

const itemOf = ({ failingSince: _f, ...webhook }: Webhook): Record<string, unknown> => ({
  ...webhook,
  ...keys.webhook(webhook.tenantId, webhook.id),
  entity: WEBHOOK_ENTITY,
});

const webhookOf = (item: Record<string, unknown>, health?: Record<string, unknown>): Webhook => {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return { ...(rest as unknown as Webhook), ...(health?.failingSince ? { failingSince: String(health.failingSince) } : {}) };
};

/** The webhook items and their health items of one Query (sorted: each webhook is followed by its health). */
const webhooksOf = (items: Record<string, unknown>[]): Webhook[] => {
  const health = new Map(items.filter((i) => i.entity === HEALTH_ENTITY).map((i) => [String(i.id), i]));
  return items.filter((i) => i.entity === WEBHOOK_ENTITY).map((i) => webhookOf(i, health.get(String(i.id))));
};

/** The webhooks (with their health) of the tenant's webhook partition whose sort keys start with `prefix`: one Query. */
const queryWebhooks = async (tenantId: string, prefix: string, consistent: boolean): Promise<Webhook[]> => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.webhooks(tenantId), ':prefix': prefix },
      ConsistentRead: consistent,
    }),
  );
  return webhooksOf(page.Items ?? []);
};

/** Every webhook of a tenant: at most MAX_WEBHOOKS and their health items, well inside one page. */
export const listWebhooks = (tenantId: string): Promise<Webhook[]> => queryWebhooks(tenantId, 'WEBHOOK#', false);

/** One webhook of a tenant with its health (one Query: its item and its health share a prefix), or undefined. */
export const getWebhook = async (tenantId: string, id: string, { consistent = true } = {}): Promise<Webhook | undefined> =>
  (await queryWebhooks(tenantId, keys.webhook(tenantId, id).sk, consistent)).find((webhook) => webhook.id === id);

/** Creates a webhook with the tenant's count and its events in one transaction; LimitReached at MAX_WEBHOOKS. */
export const insertWebhook = async (webhook: Webhook, events: PendingEvent[], extra: TransactItem[] = []): Promise<void> => {
  try {
    await transact([
      { Put: { TableName: tableName(), Item: itemOf(webhook), ConditionExpression: 'attribute_not_exists(pk)' } },
      addToCounters(webhookCount(webhook.tenantId), { webhooks: 1 }, COUNT_ENTITY, { below: MAX_WEBHOOKS }),
      ...events.map((event) => putEvent(keys.webhooks(webhook.tenantId), event)),
      ...extra,
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1)
      throw new LimitReached(`A tenant holds at most ${MAX_WEBHOOKS} webhooks; delete one before creating another.`);
    throw error;
  }
};

/**
 * Writes a changed webhook with its events, if it is still at `expectedVersion` (a concurrent
 * change fails item 0: the optimistic retry). `healthy` also forgets its failures (a new URL, re-enabled).
 */
export const replaceWebhook = async (webhook: Webhook, expectedVersion: number, events: PendingEvent[], { healthy = false } = {}): Promise<void> => {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: itemOf(webhook),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    ...(healthy ? [{ Delete: { TableName: tableName(), Key: keys.webhookHealth(webhook.tenantId, webhook.id) } }] : []),
    ...events.map((event) => putEvent(keys.webhooks(webhook.tenantId), event)),
  ]);
};

/** Deletes a webhook at `expectedVersion`, its health and the tenant's count, with its events. */
export const deleteWebhook = async (webhook: Webhook, events: PendingEvent[]): Promise<void> => {
  await transact([
    {
      Delete: {
        TableName: tableName(),
        Key: keys.webhook(webhook.tenantId, webhook.id),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': webhook.version },
      },
    },
    { Delete: { TableName: tableName(), Key: keys.webhookHealth(webhook.tenantId, webhook.id) } },
    addToCounters(webhookCount(webhook.tenantId), { webhooks: -1 }, COUNT_ENTITY),
    ...events.map((event) => putEvent(keys.webhooks(webhook.tenantId), event)),
  ]);
};

/** Notes that deliveries to a webhook fail, from `since` on (kept if already noted); nothing for a webhook that is gone. */
export const markWebhookFailing = async (tenantId: string, id: string, since: string): Promise<void> => {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.webhookHealth(tenantId, id), entity: HEALTH_ENTITY, id, failingSince: since },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
};

/** Forgets a webhook's failures (a delivery succeeded). */
export const markWebhookHealthy = async (tenantId: string, id: string): Promise<void> => {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: keys.webhookHealth(tenantId, id) }));
};
