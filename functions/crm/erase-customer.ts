import { changeContext, defineHandler, type Request } from '../http/kernel.ts';
import { reachable } from '../http/access.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { eraseCustomer, getCustomerState, purgeStep, type Tombstone } from '../storage/customers/customer-lifecycle.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import type { PendingEvent } from '../domain/event-envelope.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound } from './customer-changes.ts';
import { crm } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';

/** How long the request itself purges before it answers (ERASURE_IN_REQUEST_MS, 4 s); what is left, the due sweep finishes. */
const inRequestMs = (): number => Number(process.env.ERASURE_IN_REQUEST_MS ?? 4000);

/** Erases the customer (live, deleted or merged) once; an erased one is left as it is. The tombstone, and the duplicates merged into it (erased with it). */
const erase = (request: Request, id: string): Promise<{ tombstone: Tombstone; merged: string[] }> =>
  withOptimisticRetry(async () => {
    const found = await getCustomerState(request.caller.tenantId, id);
    if (!found) throw customerNotFound(id);
    if (found.state === 'erased') return { tombstone: found.tombstone, merged: [] };
    if (!reachable(request, found.record, 'write')) throw customerNotFound(id);
    if (found.state === 'live') checkIfMatch(request.headers, found.record.version);
    const tombstone: Tombstone = { id, tenantId: request.caller.tenantId, erasedAt: new Date().toISOString(), erasedBy: request.caller.sub };
    const { record } = found;
    const events: PendingEvent[] = [
      crmEvent(
        request,
        'CustomerErased',
        { type: 'Customer', id },
        record.sequence + 1,
        { customerId: id, erasedAt: tombstone.erasedAt, erasedBy: tombstone.erasedBy },
        'Customer erased',
      ),
      // TMF629's hub listeners hold copies too: a live customer's erasure is their delete.
      ...(found.state === 'live'
        ? tmfCustomerEvents(['CustomerDeleteEvent'], record, changeContext(request, await customerFields(request)), record.sequence + 2, true)
        : []),
    ];
    await eraseCustomer(found, tombstone, events);
    return { tombstone, merged: Array.isArray(record.mergedIds) ? record.mergedIds.map(String) : [] };
  });

/**
 * POST /api/v1/crm/customers/{id}/erasure — GDPR article 17, irreversible: at once the customer
 * leaves every read, list and count and its item becomes a tombstone (id, when, who asked); then
 * everything it owned (activities, opportunities, timeline, idempotency records with its requests,
 * its linked BIAN plans whole: storage/bian/plan-links.ts) is deleted in bounded steps, here for a few
 * seconds and by the due sweep after. 200 when nothing
 * is left, 202 while the purge goes on (call again to continue, or wait for the sweep); an erased
 * customer's repeat answers its state. CustomerErased (no personal data) tells consumers to erase
 * their copies. 404 for an unknown or purged customer.
 */
export const handler = defineHandler(crm.eraseCrmCustomer, async (request) => {
  const id = request.params.id;
  const { tombstone, merged } = await erase(request, id);
  // Duplicates merged into it still hold their records (for an unmerge): they are the same person's, and go too.
  for (const duplicate of merged) {
    const state = await getCustomerState(tombstone.tenantId, duplicate);
    if (state?.state === 'merged' && state.merger.mergedInto === id) await erase(request, duplicate);
  }
  const progress = tombstone.erasureCompletedAt
    ? { done: true }
    : await purgeStep('erased', tombstone.tenantId, id, Date.now() + inRequestMs(), new Date().toISOString());
  const current = progress.done ? await getCustomerState(tombstone.tenantId, id) : undefined;
  const completed = current?.state === 'erased' ? current.tombstone.erasureCompletedAt : tombstone.erasureCompletedAt;
  const { tenantId: _tenant, ...shown } = { ...tombstone, ...(completed ? { erasureCompletedAt: completed } : {}) };
  return { status: progress.done ? 200 : 202, body: { ...shown, status: progress.done ? 'erased' : 'erasing' } };
});
