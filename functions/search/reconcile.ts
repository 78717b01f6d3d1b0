import { searchDocumentOf } from '../domain/search-model.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import { projectCustomers, projectedLiveIds, projectedVersions } from '../storage/search/customer-search.ts';
import { projectFromTable, tenantSearchFields } from './customer-projection.ts';

/** Where a reconciliation of a tenant stands: which side it walks, and where on it. */
export interface ReconcilePosition {
  phase: 'table' | 'projection';
  cursor?: string;
}

export interface ReconcileStep {
  /** Customers looked at in this step. */
  checked: number;
  /** Rows written because the projection lacked the customer or held an older version. */
  repaired: number;
  /** Rows the projection held as live for customers the table no longer holds live (now gone or forgotten). */
  retired: number;
  /** Where the next step starts; absent when the tenant is done. */
  next?: ReconcilePosition;
}

/**
 * One bounded step of bringing a tenant's search projection to the table (a rebuild from nothing
 * is the same walk): first the table's live customers, a page of the tenant list at a time (its
 * shards in name order, one BatchGetItem), each projected where the projection lacks it or holds
 * another version; then the projection's live rows, in id order, each whose customer the table no
 * longer holds live brought to what the table says (deleted, merged, erased: a row with no
 * document; purged: no row). Each step reads at most `limit` customers from each side it walks:
 * call again with `next` until it is absent; a step repeated changes nothing twice.
 */
export const reconcileStep = async (tenantId: string, position: ReconcilePosition = { phase: 'table' }, limit = 200): Promise<ReconcileStep> => {
  if (position.phase === 'table') {
    const page = await customerLists.all(tenantId, {}, { limit, ...(position.cursor ? { cursor: position.cursor } : {}) });
    const held = await projectedVersions(
      tenantId,
      page.items.map((record) => record.id),
    );
    const stale = page.items.filter((record) => {
      const row = held.get(record.id);
      return !row?.live || row.version !== record.version;
    });
    if (stale.length > 0) {
      const fields = await tenantSearchFields(tenantId);
      await projectCustomers(stale.map((record) => ({ document: searchDocumentOf(record, fields), version: record.version })));
    }
    return {
      checked: page.items.length,
      repaired: stale.length,
      retired: 0,
      next: page.next ? { phase: 'table', cursor: page.next } : { phase: 'projection' },
    };
  }
  const ids = await projectedLiveIds(tenantId, position.cursor ?? '', limit);
  const live = await getCustomers(tenantId, ids);
  const gone = ids.filter((_, i) => live[i] === undefined);
  for (const id of gone) await projectFromTable(tenantId, id);
  return { checked: ids.length, repaired: 0, retired: gone.length, ...(ids.length === limit ? { next: { phase: 'projection', cursor: ids.at(-1)! } } : {}) };
};

/** A whole tenant reconciled, step by step from `from` (the start by default); what each step found, summed, told to `onStep` as it goes. */
export const reconcileTenant = async (
  tenantId: string,
  { limit = 200, from = { phase: 'table' }, onStep }: { limit?: number; from?: ReconcilePosition; onStep?: (step: ReconcileStep) => void } = {},
): Promise<Omit<ReconcileStep, 'next'> & { steps: number }> => {
  const total = { checked: 0, repaired: 0, retired: 0, steps: 0 };
  let position: ReconcilePosition | undefined = from;
  while (position) {
    const step: ReconcileStep = await reconcileStep(tenantId, position, limit);
    total.checked += step.checked;
    total.repaired += step.repaired;
    total.retired += step.retired;
    total.steps++;
    onStep?.(step);
    position = step.next;
  }
  return total;
};
