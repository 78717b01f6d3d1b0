import { indexPartitions, keys, nameSortKey, shardOf, TEAM_SHARDS } from '../table/keys.ts';
import { dueEventId, dueIndexKeys, instantKey } from '../due/due-index.ts';
import { INDEX_KEY_ATTRIBUTES } from '../table/table-schema.ts';
import { newBookkeeping, type Bookkeeping } from '../table/bookkeeping.ts';

/** What every stored customer carries beside its attributes: its identity and its bookkeeping. */
export interface CustomerMeta extends Bookkeeping {
  id: string;
  tenantId: string;
}

/** A stored customer: its bookkeeping plus its TMF629 and CRM attributes, as one record. */
export type CustomerRecord = CustomerMeta & { name: string } & Record<string, unknown>;

export const CUSTOMER_ENTITY = 'CUSTOMER';

/**
 * Marks a customer item that the tenant's counters include (every customer written by this code;
 * one written before the counters existed gains it, and its count, in the backfill).
 */
export const COUNTED = 'counted';

const STORAGE_ATTRIBUTES = ['pk', 'sk', 'entity', COUNTED, ...INDEX_KEY_ATTRIBUTES];

/** Is the stored customer included in the tenant's counters? */
export const isCounted = (record: CustomerRecord): boolean => record[COUNTED] === true;

/**
 * The index keys of a customer, from its attributes: name (every customer: the tenant list),
 * owner (when owned), team (when in one), CRM status, and its next action in exactly one of two sparse indexes: the
 * due index (byDue) while its due date is not yet flagged, the tenant's overdue list
 * (byNextAction) once the due sweep has flagged it. A next-action change so moves one index
 * entry, never two. All in the customer's shard.
 */
export const customerIndexKeys = (record: CustomerRecord): Record<string, string> => {
  const { tenantId, id } = record;
  const shard = shardOf(id);
  const byName = nameSortKey(record.name, id);
  const due = record.nextActionDueDate === undefined || record.nextActionDueDate === null ? undefined : String(record.nextActionDueDate);
  return {
    namePk: indexPartitions.byName(tenantId, shard),
    nameSk: byName,
    ...(record.ownerId ? { ownerPk: indexPartitions.byOwner(tenantId, String(record.ownerId), shard) } : {}),
    ...(record.teamId ? { teamPk: indexPartitions.byTeam(tenantId, String(record.teamId), shardOf(id, TEAM_SHARDS)) } : {}),
    statusPk: indexPartitions.byStatus(tenantId, String(record.crmStatus ?? 'LEAD'), shard),
    ...(due && record.nextActionFlaggedFor === due ? overdueListKeys(tenantId, id, due) : {}),
    ...(due && record.nextActionFlaggedFor !== due ? dueIndexKeys(keys.customer(tenantId, id).pk, 'CUSTOMER', due) : {}),
  };
};

/** The id of the CustomerNextActionOverdue event of a customer's next action due at `due` (one per customer and due date, whoever flags it). */
export const nextActionOverdueEventId = (record: CustomerMeta, due: string): string => dueEventId(keys.customer(record.tenantId, record.id), due);

/** The keys of a customer in its tenant's overdue list (byNextAction): set when the sweep flags its next action. */
export const overdueListKeys = (tenantId: string, id: string, due: string): { nextPk: string; nextSk: string } => ({
  nextPk: indexPartitions.byNextAction(tenantId, shardOf(id)),
  nextSk: `${instantKey(due)}#${id}`,
});

/**
 * The stored item: the record, its keys and its index keys. Tags are a DynamoDB string set, so
 * tag changes can be atomic set updates. `counted` is kept as the record had it.
 */
export const toItem = (record: CustomerRecord, counted = isCounted(record)): Record<string, unknown> => {
  const tags = record.tags as string[] | undefined;
  const { tags: _tags, ...rest } = record;
  for (const attribute of STORAGE_ATTRIBUTES) delete rest[attribute];
  return {
    ...rest,
    ...(tags && tags.length > 0 ? { tags: new Set(tags) } : {}),
    ...keys.customer(record.tenantId, record.id),
    entity: CUSTOMER_ENTITY,
    ...(counted ? { [COUNTED]: true } : {}),
    ...customerIndexKeys(record),
  };
};

/** The record of a stored item: without keys (it keeps `counted`, which no view shows). */
export const fromItem = (item: Record<string, unknown>): CustomerRecord => {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) if (attribute !== COUNTED) delete record[attribute];
  record.tags = item.tags instanceof Set ? [...(item.tags as Set<string>)].sort() : [];
  // Customers written before the one bookkeeping type kept `createdAt`/`updatedAt`; their next write stores the new names.
  for (const [legacy, current] of [
    ['createdAt', 'created'],
    ['updatedAt', 'updated'],
  ] as const) {
    if (record[current] === undefined && record[legacy] !== undefined) record[current] = record[legacy];
    delete record[legacy];
  }
  return record as CustomerRecord;
};

/** The bookkeeping of a customer about to be created: version 1, its first event, who and when. */
export const newCustomerMeta = (id: string, tenantId: string, sub: string, now = new Date().toISOString()): CustomerMeta => ({
  id,
  tenantId,
  ...newBookkeeping(sub, now),
});
