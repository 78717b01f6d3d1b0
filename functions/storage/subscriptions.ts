import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './table/db.ts';
import { keys } from './table/keys.ts';
import { LimitReached } from './table/errors.ts';
import { ConditionFailed, transact } from './table/transactions.ts';
import { addToCounters, COUNT_ENTITY } from './customers/counters.ts';
import { storedSecretOf, type SecretOwner, type StoredSecret } from './table/sealed-secrets.ts';

/** A TMF hub registration: where to deliver which of the tenant's events. */
export interface Subscription {
  id: string;
  tenantId: string;
  callback: string;
  query?: string;
  /** The TMF629 generation whose format its notifications take (v4 for registrations made before there were others). */
  generation: 'v3' | 'v4' | 'v5';
  /** The `@type` a v5 registration was given (v5's Hub requires one). */
  type?: string;
  /** A Standard Webhooks secret (`whsec_…`), sealed (sealed-secrets.ts): its notifications are signed with it. Never shown back. */
  secret?: StoredSecret;
  createdAt: string;
  createdBy: string;
}

export const SUBSCRIPTION_ENTITY = 'SUBSCRIPTION';

/** The record a registration's secret is sealed for. */
export const hubSecretOwner = (subscription: Pick<Subscription, 'tenantId' | 'id'>): SecretOwner => ({
  tenantId: subscription.tenantId,
  record: 'hub',
  id: subscription.id,
});

/** A registration is never changed, only deleted: its version, and so its ETag, is always 1. */
export const SUBSCRIPTION_VERSION = 1;

/**
 * How many registrations a tenant may hold. The notifier reads them all for every event of the
 * tenant, so they are bounded: one Query page, whatever the tenant does.
 */
export const MAX_SUBSCRIPTIONS = 100;

/** The tenant's count of registrations, kept in its subscription partition beside them. */
const subscriptionCount = (tenantId: string) => ({ pk: keys.subscriptions(tenantId), sk: 'COUNT' });

/** Registers a listener, with the tenant's count, in one transaction; LimitReached at MAX_SUBSCRIPTIONS. */
export const insertSubscription = async (subscription: Subscription): Promise<void> => {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: { ...subscription, ...keys.subscription(subscription.tenantId, subscription.id), entity: SUBSCRIPTION_ENTITY },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      addToCounters(subscriptionCount(subscription.tenantId), { registrations: 1 }, COUNT_ENTITY, { below: MAX_SUBSCRIPTIONS }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 1)
      throw new LimitReached(`A tenant holds at most ${MAX_SUBSCRIPTIONS} hub registrations; delete one before registering another.`);
    throw error;
  }
};

/** Deletes a registration, with the tenant's count; false when there was none. */
export const deleteSubscription = async (tenantId: string, id: string): Promise<boolean> => {
  try {
    await transact([
      { Delete: { TableName: tableName(), Key: keys.subscription(tenantId, id), ConditionExpression: 'attribute_exists(pk)' } },
      addToCounters(subscriptionCount(tenantId), { registrations: -1 }, COUNT_ENTITY),
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed && error.index === 0) return false;
    throw error;
  }
};

/** Every registration of a tenant: one Query of its subscription partition (at most MAX_SUBSCRIPTIONS, well inside one page). */
export const listSubscriptions = async (tenantId: string): Promise<Subscription[]> => {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hub)',
      ExpressionAttributeValues: { ':pk': keys.subscriptions(tenantId), ':hub': 'HUB#' },
    }),
  );
  return (page.Items ?? []).map((item) => subscriptionOf(tenantId, item));
};

/** One registration of a tenant, or undefined. */
export const getSubscription = async (tenantId: string, id: string): Promise<Subscription | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.subscription(tenantId, id) }));
  return Item && subscriptionOf(tenantId, Item);
};

const subscriptionOf = (tenantId: string, item: Record<string, unknown>): Subscription => {
  const secret = storedSecretOf(item.secret);
  return {
    id: String(item.id),
    tenantId,
    callback: String(item.callback),
    ...(item.query === undefined ? {} : { query: String(item.query) }),
    generation: item.generation === 'v3' || item.generation === 'v5' ? item.generation : 'v4',
    ...(item.type === undefined ? {} : { type: String(item.type) }),
    ...(secret === undefined ? {} : { secret }),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
  };
};
