import { getItems, tableName, type ItemKey } from '../table/db.ts';
import type { Bookkeeping } from '../table/bookkeeping.ts';
import { keys } from '../table/keys.ts';
import { dueIndexKeys } from '../due/due-index.ts';
import { putEvent, transact, type TransactItem } from '../table/transactions.ts';
import { INDEX_KEY_ATTRIBUTES } from '../table/table-schema.ts';
import type { PendingEvent } from '../../domain/event-envelope.ts';

/**
 * BIAN control records and their behaviour-qualifier records: a plan (`sk` PLAN) and its records
 * (`DEVELOPMENT#<id>`, `INCIDENT#<id>`, …) in one item collection, so a plan and its records are
 * read together and a record's write can check its plan in the same transaction.
 */
export interface BianRecord extends Bookkeeping {
  kind: string;
  id: string;
  planId: string;
  tenantId: string;
  /** The spec's fields, as sent. */
  record: Record<string, unknown>;
  status?: string;
  exchangeStatus?: string;
  priority?: string;
  /** On a plan: the tenant's customer its CustomerReference names, or the reference kept as external. */
  customerId?: string;
  externalCustomerReference?: string;
  /** On an incident: when it should be resolved by (its priority's resolution target), once notified, and when resolved. */
  resolutionDueAt?: string;
  resolutionOverdueNotifiedAt?: string;
  resolved?: string;
  actions: Record<string, unknown>[];
}

/** An open incident with a resolution target not yet notified as overdue is in the sparse due index. */
const awaitsResolution = (record: BianRecord): record is BianRecord & { resolutionDueAt: string } =>
  record.resolutionDueAt !== undefined && record.status !== 'terminated' && record.resolutionOverdueNotifiedAt === undefined;

export const bianKey = (family: string, tenantId: string, planId: string, kind: string, id: string) => ({
  pk: `${keys.tenantPrefix(tenantId)}#${family}#${planId}`,
  sk: kind === 'PLAN' ? 'PLAN' : `${kind.toUpperCase()}#${id}`,
});

const fromItem = (item: Record<string, unknown>): BianRecord => {
  const rest = { ...item };
  for (const attribute of ['pk', 'sk', 'entity', ...INDEX_KEY_ATTRIBUTES]) delete rest[attribute];
  return rest as unknown as BianRecord;
};

/**
 * A plan and one of its records (the plan itself when `kind` is PLAN), and any further items the
 * caller needs, in one request.
 */
export const getPlanAndRecord = async (family: string, tenantId: string, planId: string, kind: string, id: string, further: ItemKey[] = []) => {
  const own = kind === 'PLAN' ? [] : [bianKey(family, tenantId, planId, kind, id)];
  const [planItem, ...rest] = await getItems([bianKey(family, tenantId, planId, 'PLAN', planId), ...own, ...further]);
  const plan = planItem ? fromItem(planItem) : undefined;
  const recordItem = kind === 'PLAN' ? planItem : rest[0];
  return { plan, record: recordItem ? fromItem(recordItem) : undefined, further: rest.slice(own.length) };
};

/**
 * Writes a record with its event. A new record must not exist yet; a changed one must still be at
 * `expectedVersion`. A record under a plan also requires the plan to be at `planVersion` (so a
 * concurrent suspend or terminate of the plan cannot slip past the status check).
 */
export const putBianRecord = async (
  family: string,
  record: BianRecord,
  expected: { version?: number; planVersion?: number },
  event: PendingEvent,
  /** Further writes of the same change (a linked customer's mirrored activity). */
  extra: TransactItem[] = [],
): Promise<void> => {
  const isPlan = record.id === record.planId;
  const key = bianKey(family, record.tenantId, record.planId, isPlan ? 'PLAN' : record.kind, record.id);
  const planKey = bianKey(family, record.tenantId, record.planId, 'PLAN', record.planId);
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...record,
          ...key,
          entity: `BIAN_${record.kind.toUpperCase()}`,
          ...(awaitsResolution(record) ? dueIndexKeys(key.pk, key.sk, record.resolutionDueAt) : {}),
        },
        ...(expected.version === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expected.version } }),
      },
    },
    ...(expected.planVersion !== undefined && !isPlan
      ? [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: planKey,
              ConditionExpression: 'version = :plan',
              ExpressionAttributeValues: { ':plan': expected.planVersion },
            },
          },
        ]
      : []),
    putEvent(key.pk, event),
    ...extra,
  ]);
};
