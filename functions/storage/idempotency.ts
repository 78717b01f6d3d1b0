import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './table/db.ts';
import { keys } from './table/keys.ts';
import { TTL_ATTRIBUTE } from './table/table-schema.ts';
import { IdempotencyKeyReused, InvalidIdempotencyKey } from './table/errors.ts';
import { ConditionFailed, type TransactItem } from './table/transactions.ts';
import { canonicalJson } from '../domain/canonical-json.ts';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface IdempotencyKey {
  tenantId: string;
  operation: string;
  key: string;
  requestHash: string;
}

/** Same body, same hash, whatever the order of its fields. */
export const hashRequest = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

const replayOf = (key: IdempotencyKey, item: Record<string, unknown>): StoredResponse => {
  if (item.requestHash !== key.requestHash) {
    throw new IdempotencyKeyReused(key.key);
  }
  return item.response as StoredResponse;
};

/** The response of an earlier request with this key, or undefined when the key is new. */
export const findReplay = async (key: IdempotencyKey): Promise<StoredResponse | undefined> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.idempotency(key.tenantId, key.operation, key.key), ConsistentRead: true }));
  if (!Item || Number(Item[TTL_ATTRIBUTE]) * 1000 < Date.now()) return undefined;
  return replayOf(key, Item);
};

/** Entity of the pointer from a customer's collection to an idempotency record about it. */
export const IDEMPOTENCY_REF_ENTITY = 'IDEMPOTENCY_REF';

/**
 * The idempotency record, written in the same transaction as the change it guards; with the
 * customer it is about (`ownerCustomerId`), also a pointer in that customer's collection, so an
 * erasure finds the record (it holds the response, personal data) without a scan. Both expire together.
 */
export const putIdempotencyRecord = (key: IdempotencyKey, response: StoredResponse, now = Date.now(), ownerCustomerId?: string): TransactItem[] => {
  const record = keys.idempotency(key.tenantId, key.operation, key.key);
  const expires = Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS;
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...record, entity: 'IDEMPOTENCY', requestHash: key.requestHash, response, [TTL_ATTRIBUTE]: expires },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    ...(ownerCustomerId === undefined
      ? []
      : [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.idempotencyRef(key.tenantId, ownerCustomerId, key.operation, key.key),
                entity: IDEMPOTENCY_REF_ENTITY,
                target: record,
                [TTL_ATTRIBUTE]: expires,
              },
            },
          },
        ]),
  ];
};

/** A concurrent request with the same key won the race: answer with its response (or 422). */
export const replayAfterRace = (key: IdempotencyKey, item: Record<string, unknown> | undefined): StoredResponse => {
  if (!item) throw new Error('idempotency record missing after a failed condition');
  return replayOf(key, item);
};

/**
 * Runs a create once per `Idempotency-Key`: without the header it just runs; with it, a replay
 * answers the first response, another body is 422, and `run` gets the idempotency record to
 * write in its own transaction, so the key is taken exactly when the change commits. A concurrent
 * request with the same key that commits first is answered from its record.
 */
export const createOnce = async (
  input: { headers: Record<string, string>; tenantId: string; operation: string; body: unknown },
  run: (guard: (response: StoredResponse, ownerCustomerId?: string) => TransactItem[]) => Promise<StoredResponse>,
): Promise<StoredResponse> => {
  const header = input.headers['idempotency-key'];
  if (header === undefined) return run(() => []);
  if (header.length === 0 || header.length > 255) throw new InvalidIdempotencyKey();
  const key: IdempotencyKey = { tenantId: input.tenantId, operation: input.operation, key: header, requestHash: hashRequest(input.body) };
  const replay = await findReplay(key);
  if (replay) return replay;
  try {
    return await run((response, ownerCustomerId) => putIdempotencyRecord(key, response, Date.now(), ownerCustomerId));
  } catch (error) {
    if (error instanceof ConditionFailed && error.item !== undefined) return replayAfterRace(key, error.item);
    throw error;
  }
};
