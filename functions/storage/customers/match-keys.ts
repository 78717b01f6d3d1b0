import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../table/db.ts';
import { keys } from '../table/keys.ts';
import type { TransactItem } from '../table/transactions.ts';
import type { CustomerRecord } from './customer-items.ts';
import { matchKeysOf, type MatchKey } from '../../domain/match-keys.ts';

/**
 * The tenant's match index (domain/match-keys.ts) as items: one per match key and customer, in
 * the key's own partition (`T#<t>#MATCH#<kind>#<hash>`, sort key the customer id), written in the
 * same transactions as the customer (its create, changes, delete, restore, erasure). A key's
 * partition holds the customers that share it — a handful, unless a value is very common — and is
 * read one bounded Query at a time.
 */
export const MATCH_ENTITY = 'MATCH';

const matchKey = (tenantId: string, key: MatchKey, customerId: string) => ({
  pk: `${keys.tenantPrefix(tenantId)}#MATCH#${key.kind}#${createHash('sha256').update(key.value).digest('base64url')}`,
  sk: customerId,
});

const id = (key: MatchKey) => `${key.kind}\n${key.value}`;

/** The match items a customer write adds and removes: a create (no `before`), a delete (no `after`), or a change. */
export const matchKeyChanges = (before: CustomerRecord | undefined, after: CustomerRecord | undefined): TransactItem[] => {
  const old = before ? matchKeysOf(before) : [];
  const now = after ? matchKeysOf(after) : [];
  const record = (after ?? before)!;
  const kept = new Set(old.map(id));
  const wanted = new Set(now.map(id));
  return [
    ...old.filter((k) => !wanted.has(id(k))).map((k): TransactItem => ({ Delete: { TableName: tableName(), Key: matchKey(record.tenantId, k, record.id) } })),
    ...now
      .filter((k) => !kept.has(id(k)))
      .map(
        (k): TransactItem => ({
          Put: { TableName: tableName(), Item: { ...matchKey(record.tenantId, k, record.id), entity: MATCH_ENTITY, kind: k.kind, customerId: record.id } },
        }),
      ),
  ];
};

/** The ids of the tenant's customers that share `key`, at most `limit` (one Query). */
export const customersMatching = async (tenantId: string, key: MatchKey, limit: number): Promise<string[]> => {
  const { pk } = matchKey(tenantId, key, '');
  const page = await db.send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: limit }),
  );
  return (page.Items ?? []).map((item) => String(item.sk));
};
