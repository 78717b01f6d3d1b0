import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../table/keys.ts';
import { batchWrite, db, getItems, tableName, type ItemKey } from '../table/db.ts';
import { bianKey } from './bian-records.ts';
import { addToStatistics } from './case-statistics.ts';
import { combineCounterWrites } from '../customers/counters.ts';
import { ConditionFailed, transact, WriteConflict, type TransactItem } from '../table/transactions.ts';

/**
 * A BIAN CRM plan's link to the customer it belongs to, kept twice: on the plan (`customerId`) and
 * as a pointer item in the customer's collection, written in the same transaction, so what happens
 * to the customer reaches its plans without a scan: its export lists them, a merge moves them to
 * the survivor, its purge takes the link off them (the plan keeps its record), its erasure erases
 * them (a relationship plan for a person is about that person: all of it goes).
 */
export const PLAN_LINK_ENTITY = 'PLAN_LINK';
const PLAN_FAMILY = 'CRPLAN';
const LINK_PREFIX = `LINK#${PLAN_FAMILY}#`;

const linkKey = (tenantId: string, customerId: string, planId: string) => ({ pk: keys.customer(tenantId, customerId).pk, sk: `${LINK_PREFIX}${planId}` });

/** The pointer writes of a plan whose linked customer goes from `before` to `after` (either may be none). */
export const planLinkChanges = (tenantId: string, planId: string, before: string | undefined, after: string | undefined): TransactItem[] =>
  before === after
    ? []
    : [
        ...(before ? [{ Delete: { TableName: tableName(), Key: linkKey(tenantId, before, planId) } }] : []),
        ...(after ? [{ Put: { TableName: tableName(), Item: { ...linkKey(tenantId, after, planId), entity: PLAN_LINK_ENTITY, tenantId, planId } } }] : []),
      ];

/** The key of a linked plan's own item. */
export const linkedPlanKey = (tenantId: string, planId: string) => bianKey(PLAN_FAMILY, tenantId, planId, 'PLAN', planId);

/** Points a plan linked to customer `from` at `to` (a merge, an unmerge), or at none (a purge); nothing when it was re-linked meanwhile. */
export const relinkPlan = async (tenantId: string, planId: string, from: string, to: string | undefined): Promise<void> => {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: linkedPlanKey(tenantId, planId),
          UpdateExpression: to ? 'SET customerId = :to' : 'REMOVE customerId',
          ConditionExpression: 'customerId = :from',
          ExpressionAttributeValues: { ':from': from, ...(to ? { ':to': to } : {}) },
        },
      },
    ]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
  }
};

/** The linked plans of these ids as stored (BIAN fields, status, actions), without keys: one batch read. */
export const getLinkedPlans = async (tenantId: string, planIds: string[]): Promise<Record<string, unknown>[]> =>
  (await getItems(planIds.map((planId) => linkedPlanKey(tenantId, planId)))).flatMap((item) => {
    if (!item) return [];
    const { pk: _pk, sk: _sk, entity: _entity, ...plan } = item;
    return [plan];
  });

const PAGE = 100;

export interface EraseProgress {
  /** Items deleted in this step. */
  deleted: number;
  /** Whether nothing is left. */
  done: boolean;
}

const keyOf = (item: Record<string, unknown>): ItemKey => ({ pk: String(item.pk), sk: String(item.sk) });

/**
 * Deletes open incidents with their share of the case statistics (`open_<priority>`) taken off in
 * the same transaction, each delete conditional on the incident still being there, so an incident
 * two overlapping steps both read is taken off once. Up to 25 a transaction; when one of them was
 * gone meanwhile (or a concurrent write collided), one by one. A resolved incident's share
 * (resolved, within target, resolution time) stays: the tenant's record of work done, counts
 * without personal data.
 */
const deleteOpenIncidents = async (tenantId: string, incidents: Record<string, unknown>[]): Promise<void> => {
  const writes = (group: Record<string, unknown>[]): TransactItem[] =>
    combineCounterWrites([
      ...group.map((incident) => ({
        Delete: { TableName: tableName(), Key: keyOf(incident), ConditionExpression: 'attribute_exists(pk)' },
      })),
      ...group.flatMap((incident) => addToStatistics(tenantId, String(incident.id), { [`open_${String(incident.priority)}`]: -1 })),
    ]);
  for (let i = 0; i < incidents.length; i += 25) {
    const group = incidents.slice(i, i + 25);
    try {
      await transact(writes(group));
    } catch (error) {
      if (!(error instanceof ConditionFailed || error instanceof WriteConflict)) throw error;
      for (const incident of group) {
        try {
          await transact(writes([incident]));
        } catch (single) {
          if (!(single instanceof ConditionFailed)) throw single;
        }
      }
    }
  }
};

/**
 * One step of erasing a plan linked to an erased customer: first its plan item (only while it is
 * linked to that customer), so every read of the plan and its records answers 404 at once and no
 * record, action or mirrored activity can be written to it any more (each such write checks the
 * plan's version in its transaction); then its whole collection — Contact, Development and Incident
 * records with their action records, and the events of all of them — in pages of at most 100 keys,
 * deleted 25 at a time (open incidents with their case statistics), from the start each time,
 * until the collection is empty or `until` (an epoch ms). Re-entrant. A plan linked to another
 * customer meanwhile is not this person's: it is left as it is (done).
 */
export const erasePlanStep = async (tenantId: string, planId: string, customerId: string, until: number): Promise<EraseProgress> => {
  const plan = linkedPlanKey(tenantId, planId);
  let deleted = 0;
  try {
    const { Attributes } = await db.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: plan,
        ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customer',
        ExpressionAttributeValues: { ':customer': customerId },
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (Attributes) deleted++;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return { deleted, done: true };
    throw error;
  }
  for (;;) {
    if (Date.now() >= until) return { deleted, done: false };
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': plan.pk },
        ExpressionAttributeNames: { '#status': 'status' },
        ProjectionExpression: 'pk, sk, entity, id, #status, priority',
        ConsistentRead: true,
        Limit: PAGE,
      }),
    );
    const items = page.Items ?? [];
    if (items.length === 0) return { deleted, done: true };
    const isOpenIncident = (item: Record<string, unknown>) => item.entity === 'BIAN_INCIDENT' && item.status !== 'terminated';
    await batchWrite(items.filter((item) => !isOpenIncident(item)).map((item) => ({ DeleteRequest: { Key: keyOf(item) } })));
    await deleteOpenIncidents(tenantId, items.filter(isOpenIncident));
    deleted += items.length;
  }
};

/**
 * One step of erasing every plan linked to an erased customer, found by the pointer items in its
 * collection (a Query of at most 100): each plan erased (erasePlanStep), then its pointer deleted,
 * until none is left or `until`. Re-entrant: a pointer stays until its plan is gone.
 */
export const eraseLinkedPlansStep = async (tenantId: string, customerId: string, until: number): Promise<EraseProgress> => {
  const { pk } = keys.customer(tenantId, customerId);
  let deleted = 0;
  for (;;) {
    if (Date.now() >= until) return { deleted, done: false };
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
        ExpressionAttributeValues: { ':pk': pk, ':link': LINK_PREFIX },
        ProjectionExpression: 'pk, sk, planId',
        ConsistentRead: true,
        Limit: PAGE,
      }),
    );
    const links = page.Items ?? [];
    if (links.length === 0) return { deleted, done: true };
    for (const link of links) {
      const progress = await erasePlanStep(tenantId, String(link.planId), customerId, until);
      deleted += progress.deleted;
      if (!progress.done) return { deleted, done: false };
      await batchWrite([{ DeleteRequest: { Key: keyOf(link) } }]);
      deleted++;
    }
  }
};
