import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './table/db.ts';
import { keys } from './table/keys.ts';
import { withinLimits } from './table/limits.ts';

/** An entry of the tenant's user directory, kept from verified token claims. */
export interface DirectoryUser {
  id: string;
  username?: string;
  displayName?: string;
}

const remembered = new Map<string, string>();

/**
 * Records the caller's `preferred_username` and `name` claims in the directory, when they carry
 * any and they changed since this function instance last wrote them (so not a write per request).
 */
export const rememberUser = async (tenantId: string, user: DirectoryUser): Promise<void> => {
  if (!user.username && !user.displayName) return;
  const fingerprint = JSON.stringify([user.username, user.displayName]);
  const cacheKey = `${tenantId}/${user.id}`;
  if (remembered.get(cacheKey) === fingerprint) return;
  await db.send(
    new PutCommand({
      TableName: tableName(),
      Item: withinLimits({ ...keys.user(tenantId, user.id), entity: 'USER', ...user, seenAt: new Date().toISOString() }),
    }),
  );
  remembered.set(cacheKey, fingerprint);
};

/** The directory entry of a user, or `{id}` alone for one never seen. */
export const findUser = async (tenantId: string, id: string): Promise<DirectoryUser> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.user(tenantId, id) }));
  return Item
    ? { id, ...(Item.username ? { username: String(Item.username) } : {}), ...(Item.displayName ? { displayName: String(Item.displayName) } : {}) }
    : { id };
};
