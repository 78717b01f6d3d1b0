/**
 * Unique custom values (issue 24) and external ids (issue 27) as claim items: one per unique field
 * and value, in its own partition (`T#<t>#UNIQUE#customer#<field>#<hash of the value>`), naming the
 * customer that holds it. A customer's claims are its record's `customFieldClaims` and its
 * `externalId` (the domain computes them: domain/custom-values.ts, claimsOfCustomer); every write of the customer takes and releases the difference
 * in its own transaction, conditional on no other customer holding the value. So a value belongs
 * to one customer of the tenant however many write at once, and a refused write changes nothing.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { claimsOfCustomer } from '../../domain/custom-values.ts';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import { ConditionFailed, transact, type TransactItem } from '../table/transactions.ts';
import type { CustomerRecord } from './customer-items.ts';

export const UNIQUE_VALUE_ENTITY = 'UNIQUE_VALUE';

/** A unique field's value that another customer holds (409): which field, and who holds it. */
export class UniqueValueTaken extends Error {
  constructor(
    readonly field: string,
    readonly holderId: string | undefined,
  ) {
    super(`The value of the unique field '${field}' belongs to ${holderId ? `customer '${holderId}'` : 'another customer'}.`);
    this.name = 'UniqueValueTaken';
  }
}

const claimKey = (tenantId: string, field: string, hash: string) => keys.uniqueClaim(tenantId, 'customer', field, hash);

const claimsOf = (record: CustomerRecord | undefined): Record<string, string> => (record ? claimsOfCustomer(record) : {});

/** Whoever else holds it, a claim is this customer's only when it is absent or already this customer's. */
const HELD_BY_NONE_OR = 'attribute_not_exists(pk) OR customerId = :me';

/** The claim items a customer write takes and releases: a create (no `before`), a delete (no `after`), or a change. */
export const uniqueClaimChanges = (before: CustomerRecord | undefined, after: CustomerRecord | undefined): TransactItem[] => {
  const record = (after ?? before)!;
  const [old, now] = [claimsOf(before), claimsOf(after)];
  const items: TransactItem[] = [];
  for (const [field, hash] of Object.entries(old))
    if (now[field] !== hash)
      items.push({
        Delete: {
          TableName: tableName(),
          Key: claimKey(record.tenantId, field, hash),
          ConditionExpression: HELD_BY_NONE_OR,
          ExpressionAttributeValues: { ':me': record.id },
        },
      });
  for (const [field, hash] of Object.entries(now))
    if (old[field] !== hash)
      items.push({
        Put: {
          TableName: tableName(),
          Item: { ...claimKey(record.tenantId, field, hash), entity: UNIQUE_VALUE_ENTITY, field, customerId: record.id },
          ConditionExpression: HELD_BY_NONE_OR,
          ExpressionAttributeValues: { ':me': record.id },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
  return items;
};

/**
 * One transaction's claim writes of several customers (a merge: a duplicate releases a value its
 * survivor takes) as DynamoDB allows them, one per item: a release and a take of the same claim
 * become one take from the releasing customer.
 */
export const combineClaimWrites = (items: TransactItem[]): TransactItem[] => {
  const keyOf = (item: TransactItem) => {
    const key = item.Put?.Item ?? item.Delete?.Key;
    return key && (item.Put?.Item?.entity === UNIQUE_VALUE_ENTITY || item.Delete?.ConditionExpression === HELD_BY_NONE_OR) ? `${key.pk}\n${key.sk}` : undefined;
  };
  const released = new Map<string, TransactItem>();
  for (const item of items) {
    const key = keyOf(item);
    if (key && item.Delete) released.set(key, item);
  }
  const moved = new Set<string>();
  const combined = items.flatMap((item): TransactItem[] => {
    const key = keyOf(item);
    const release = key && item.Put ? released.get(key) : undefined;
    if (!key || !release || !item.Put) return [item];
    moved.add(key);
    const from = release.Delete!.ExpressionAttributeValues![':me'];
    return [
      {
        Put: {
          ...item.Put,
          ConditionExpression: 'attribute_not_exists(pk) OR customerId IN (:me, :from)',
          ExpressionAttributeValues: { ...item.Put.ExpressionAttributeValues, ':from': from },
        },
      },
    ];
  });
  return combined.filter((item) => !(item.Delete && moved.has(keyOf(item) ?? '')));
};

/** A failed condition of a claim in `items`, as the value taken and who holds it; any other error as it is. */
export const claimConflict = (error: unknown, items: TransactItem[]): unknown => {
  if (!(error instanceof ConditionFailed)) return error;
  const item = items[error.index]?.Put?.Item;
  if (item?.entity !== UNIQUE_VALUE_ENTITY) return error;
  const holder = error.item?.customerId;
  return new UniqueValueTaken(String(item.field), typeof holder === 'string' ? holder : undefined);
};

/** Writes a transaction of customer writes (their side writes among its items); a unique value another customer holds surfaces as UniqueValueTaken. */
export const transactCustomer = async (items: TransactItem[]): Promise<void> => {
  try {
    await transact(items);
  } catch (error) {
    throw claimConflict(error, items);
  }
};

/** The customer that holds a unique field's value (by its claim's hash: domain/custom-values.ts), if any: one strongly consistent read. */
export const customerHolding = async (tenantId: string, field: string, hash: string): Promise<string | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: claimKey(tenantId, field, hash), ConsistentRead: true }));
  return typeof Item?.customerId === 'string' ? Item.customerId : undefined;
};
