import { keys } from './keys.ts';
import { getItems, tableName } from './db.ts';
import { bianKey } from './bian-records.ts';
import { ConditionFailed, transact, type TransactItem } from './transactions.ts';

/**
 * A BIAN CRM plan's link to the customer it belongs to, kept twice: on the plan (`customerId`) and
 * as a pointer item in the customer's collection, written in the same transaction, so what happens
 * to the customer reaches its plans without a scan: its export lists them, a merge moves them to
 * the survivor, its purge or erasure takes the link off them (the plan keeps its record).
 */
export const PLAN_LINK_ENTITY = 'PLAN_LINK';
const PLAN_FAMILY = 'CRPLAN';

const linkKey = (tenantId: string, customerId: string, planId: string) => ({ pk: keys.customer(tenantId, customerId).pk, sk: `LINK#${PLAN_FAMILY}#${planId}` });

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

/** Points a plan linked to customer `from` at `to` (a merge, an unmerge), or at none (a purge, an erasure); nothing when it was re-linked meanwhile. */
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
