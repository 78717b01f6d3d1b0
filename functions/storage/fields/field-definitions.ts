import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CUSTOM_FIELD_LIMITS, definitionBytes, type FieldDefinition, type FieldObject } from '../../domain/custom-fields.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';
import { addToCounters, COUNT_ENTITY } from '../customers/counters.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { db, getItems, tableName } from '../table/db.ts';
import { instanceCache } from '../table/instance-cache.ts';
import { LimitReached } from '../table/errors.ts';
import { keys } from '../table/keys.ts';
import { withinLimits } from '../table/limits.ts';
import { ConditionFailed, putEvent, transact, type TransactItem } from '../table/transactions.ts';

/** A definition as stored: the domain's definition, its tenant and object, its bookkeeping (version: the ETag). */
export interface StoredFieldDefinition extends FieldDefinition, Bookkeeping {
  tenantId: string;
  object: FieldObject;
}

export const FIELD_DEFINITION_ENTITY = 'FIELD_DEFINITION';

/** A field key that was used already: keys are never reused, archived ones included (409). */
export class FieldKeyTaken extends Error {
  constructor(readonly key: string) {
    super(`The field key '${key}' is taken: keys are never reused, archived fields included.`);
    this.name = 'FieldKeyTaken';
  }
}

/** Two counts beside the definitions, each with its own ceiling, kept in the transaction of every create and change. */
const fieldCount = (tenantId: string, object: FieldObject) => ({ pk: keys.fieldDefinitions(tenantId, object), sk: 'COUNT' });
const uniqueCount = (tenantId: string, object: FieldObject) => ({ pk: keys.fieldDefinitions(tenantId, object), sk: 'COUNT#UNIQUE' });
const bytesCount = (tenantId: string, object: FieldObject) => ({ pk: keys.fieldDefinitions(tenantId, object), sk: 'COUNT#BYTES' });
const bytesLimit = () =>
  new LimitReached(
    `A tenant's field definitions of an object take at most ${CUSTOM_FIELD_LIMITS.definitionsBytes} bytes together (every function instance reads them); shorten options, labels or descriptions first.`,
  );

/**
 * The change of the definitions' total bytes in a create or change, kept in its transaction: a
 * growth must stay within the budget (the counter must be below the budget less the growth), a
 * shrink always lands.
 */
const addBytes = (tenantId: string, object: FieldObject, delta: number): TransactItem[] =>
  delta === 0
    ? []
    : [
        addToCounters(
          bytesCount(tenantId, object),
          { bytes: delta },
          COUNT_ENTITY,
          delta > 0 ? { below: CUSTOM_FIELD_LIMITS.definitionsBytes - delta + 1 } : {},
        ),
      ];
const uniqueLimit = () =>
  new LimitReached(`A tenant has at most ${CUSTOM_FIELD_LIMITS.uniqueFields} unique fields per object, archived ones included; make one not unique first.`);

const itemOf = (definition: StoredFieldDefinition): Record<string, unknown> =>
  withinLimits({ ...definition, ...keys.fieldDefinition(definition.tenantId, definition.object, definition.key), entity: FIELD_DEFINITION_ENTITY });

const definitionOf = (item: Record<string, unknown>): StoredFieldDefinition => {
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return rest as unknown as StoredFieldDefinition;
};

/** One definition, strongly consistent, or undefined. */
export const getFieldDefinition = async (tenantId: string, object: FieldObject, key: string): Promise<StoredFieldDefinition | undefined> => {
  const [item] = await getItems([keys.fieldDefinition(tenantId, object, key)]);
  return item ? definitionOf(item) : undefined;
};

/**
 * A page of a tenant's definitions in key order, after the key `after`: one Query of at most
 * `limit` items (each definition is at most 400 KB, so a page is at most one Query page). `next`:
 * the key to continue after, when there may be more.
 */
export const listFieldDefinitions = async (
  tenantId: string,
  object: FieldObject,
  { limit, after }: { limit: number; after?: string },
): Promise<{ definitions: StoredFieldDefinition[]; next?: string }> => {
  // Keys are [a-z0-9_]: every key after `after` sorts at or after `after` + '0', and before '~'.
  const page = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.fieldDefinitions(tenantId, object),
        ':from': `FIELD#${after === undefined ? '' : `${after}0`}`,
        ':to': 'FIELD#~',
      },
      Limit: limit,
    }),
  );
  const definitions = (page.Items ?? []).map(definitionOf);
  const last = page.LastEvaluatedKey?.sk;
  return { definitions, ...(last ? { next: String(last).slice('FIELD#'.length) } : {}) };
};

/**
 * Every definition of a tenant's object (what a write checks its values against): pages of the
 * one partition until its end. Bounded: at most CUSTOM_FIELD_LIMITS.fieldsPerTenant definitions.
 */
export const allFieldDefinitions = async (tenantId: string, object: FieldObject): Promise<StoredFieldDefinition[]> => {
  const all: StoredFieldDefinition[] = [];
  let after: string | undefined;
  do {
    const page = await listFieldDefinitions(tenantId, object, { limit: 100, after });
    all.push(...page.definitions);
    after = page.next;
  } while (after);
  return all;
};

/** How long a function instance keeps a tenant's definitions: a change is in force everywhere within this (issue 24: 5 s). */
export const fieldsCacheMs = (): number => Number(process.env.FIELDS_CACHE_SECONDS ?? 5) * 1000;
const inForce = instanceCache(
  async (key: string): Promise<ReadonlyMap<string, StoredFieldDefinition>> => {
    const [tenantId, object] = JSON.parse(key) as [string, FieldObject];
    return new Map((await allFieldDefinitions(tenantId, object)).map((definition) => [definition.key, definition]));
  },
  { ttlMs: fieldsCacheMs },
);

/**
 * The definitions a write of the object is checked against, by key: read once per function
 * instance and FIELDS_CACHE_SECONDS (archived ones included: their keys are refused in writes).
 */
export const fieldDefinitionsInForce = (tenantId: string, object: FieldObject, now = Date.now()): Promise<ReadonlyMap<string, StoredFieldDefinition>> =>
  inForce.get(JSON.stringify([tenantId, object]), now);

/**
 * Stores a new definition with its events, counting it against the tenant's ceilings (fields;
 * unique fields) in the same transaction, so concurrent creates never pass them. FieldKeyTaken when
 * the key was ever used; LimitReached at a ceiling.
 */
export const insertFieldDefinition = async (definition: StoredFieldDefinition, events: PendingEvent[], extra: TransactItem[] = []): Promise<void> => {
  const { tenantId, object } = definition;
  try {
    await transact([
      { Put: { TableName: tableName(), Item: itemOf(definition), ConditionExpression: 'attribute_not_exists(pk)' } },
      addToCounters(fieldCount(tenantId, object), { fields: 1 }, COUNT_ENTITY, { below: CUSTOM_FIELD_LIMITS.fieldsPerTenant }),
      ...addBytes(tenantId, object, definitionBytes(definition)),
      ...(definition.unique ? [addToCounters(uniqueCount(tenantId, object), { unique: 1 }, COUNT_ENTITY, { below: CUSTOM_FIELD_LIMITS.uniqueFields })] : []),
      ...events.map((event) => putEvent(keys.fieldDefinitions(tenantId, object), event)),
      ...extra,
    ]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    if (error.index === 0) throw new FieldKeyTaken(definition.key);
    if (error.index === 1) throw new LimitReached(`A tenant has at most ${CUSTOM_FIELD_LIMITS.fieldsPerTenant} fields per object, archived ones included.`);
    if (error.index === 2) throw bytesLimit();
    if (error.index === 3 && definition.unique) throw uniqueLimit();
    throw error;
  }
};

/**
 * Replaces a definition still at `before.version` with `after` (archiving and restoring are
 * changes: the item stays, its key stays taken), with its events; a field that becomes unique
 * counts against the ceiling, one that stops being unique frees its place. A concurrent change
 * fails item 0 (ConditionFailed: the caller's optimistic retry or 412).
 */
export const replaceFieldDefinition = async (before: StoredFieldDefinition, after: StoredFieldDefinition, events: PendingEvent[]): Promise<void> => {
  const { tenantId, object } = after;
  const uniqueDelta = Number(Boolean(after.unique)) - Number(Boolean(before.unique));
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: itemOf(after),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    ...(uniqueDelta === 0
      ? []
      : [
          addToCounters(
            uniqueCount(tenantId, object),
            { unique: uniqueDelta },
            COUNT_ENTITY,
            uniqueDelta > 0 ? { below: CUSTOM_FIELD_LIMITS.uniqueFields } : {},
          ),
        ]),
    ...addBytes(tenantId, object, definitionBytes(after) - definitionBytes(before)),
    ...events.map((event) => putEvent(keys.fieldDefinitions(tenantId, object), event)),
  ];
  try {
    await transact(items);
  } catch (error) {
    if (error instanceof ConditionFailed && error.index > 0 && items[error.index]?.Update?.Key?.sk === 'COUNT#UNIQUE') throw uniqueLimit();
    if (error instanceof ConditionFailed && error.index > 0 && items[error.index]?.Update?.Key?.sk === 'COUNT#BYTES') throw bytesLimit();
    throw error;
  }
};
