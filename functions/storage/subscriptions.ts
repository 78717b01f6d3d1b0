import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './db.ts';
import { keys } from './keys.ts';
import { withinLimits } from './limits.ts';

/** A TMF hub registration: where to deliver which of the tenant's events. */
export interface Subscription {
  id: string;
  tenantId: string;
  callback: string;
  query?: string;
  createdAt: string;
  createdBy: string;
}

/** A registration is never changed, only deleted: its version, and so its ETag, is always 1. */
export const SUBSCRIPTION_VERSION = 1;

export const insertSubscription = async (subscription: Subscription): Promise<void> => {
  await db.send(
    new PutCommand({
      TableName: tableName(),
      Item: withinLimits({ ...subscription, ...keys.subscription(subscription.tenantId, subscription.id), entity: 'SUBSCRIPTION' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Deletes a registration; false when there was none. */
export const deleteSubscription = async (tenantId: string, id: string): Promise<boolean> => {
  try {
    await db.send(new DeleteCommand({ TableName: tableName(), Key: keys.subscription(tenantId, id), ConditionExpression: 'attribute_exists(pk)' }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/**
 * Every registration of a tenant: one Query of the tenant's subscription partition (a tenant has
 * a handful of listeners; the notifier needs them all for each event).
 */
export const listSubscriptions = async (tenantId: string): Promise<Subscription[]> => {
  const out: Subscription[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hub)',
        ExpressionAttributeValues: { ':pk': keys.subscriptions(tenantId), ':hub': 'HUB#' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      out.push({
        id: String(item.id),
        tenantId,
        callback: String(item.callback),
        query: item.query as string | undefined,
        createdAt: String(item.createdAt),
        createdBy: String(item.createdBy),
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
};
