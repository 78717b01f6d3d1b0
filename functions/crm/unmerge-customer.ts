import { changeContext, defineHandler } from '../http/kernel.ts';
import { reachable } from '../http/access.ts';
import { conflict, notFound } from '../http/errors.ts';
import { checkIfMatch } from '../http/preconditions.ts';
import { withOptimisticRetry } from '../storage/table/optimistic.ts';
import { ConditionFailed } from '../storage/table/transactions.ts';
import { getCustomer } from '../storage/customers/customers.ts';
import { changedBookkeeping } from '../storage/table/bookkeeping.ts';
import { getCustomerState } from '../storage/customers/customer-lifecycle.ts';
import { moveBackStep, unmergeCustomer } from '../storage/customers/customer-merge.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound, customerResponse } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';
import { storedCustomValues, unmergedCustomValues, withCustomValues } from '../domain/custom-values.ts';

/** How long the request itself moves the items back before it answers; the due sweep finishes the rest. */
const IN_REQUEST_MS = 3000;

/**
 * POST /api/v1/crm/customers/{id}/unmerge — `{duplicateId}`: inside its retention window, a
 * duplicate merged into the customer of the path is a customer of its own again, in one
 * transaction (back in every list and count; the tags it brought come off the survivor, unless
 * the survivor had them too); then what it owned moves back, here for up to 3 s, then by the due
 * sweep; what was added to the survivor since stays there. The custom values the survivor took
 * from it go back, unless the survivor's value changed since. 200 with the duplicate. 404 after the
 * window or for an id that is not merged into this customer. CustomerUnmerged on the survivor,
 * CustomerRestored and TMF629's CustomerCreateEvent on the duplicate. If-Match on the survivor honoured.
 */
export const handler = defineHandler(crm.unmergeCrmCustomer, async (request) => {
  const { tenantId, sub } = request.caller;
  const id = request.params.id;
  const { duplicateId } = request.body;
  const fields = await customerFields(request);
  const restored = await withOptimisticRetry(async () => {
    const [found, state] = await Promise.all([getCustomer(tenantId, id), getCustomerState(tenantId, duplicateId)]);
    const survivor = reachable(request, found, 'write');
    if (!survivor) throw customerNotFound(id);
    checkIfMatch(request.headers, survivor.version);
    const now = new Date().toISOString();
    if (state?.state === 'live') throw conflict(`Customer '${duplicateId}' is not merged.`);
    if (state?.state !== 'merged' || state.merger.mergedInto !== id || state.merger.purgeAt <= now)
      throw notFound(`No customer '${duplicateId}' merged into '${id}' can be unmerged (never was, or its window is over).`);
    const { record, merger } = state;
    const tags = ((survivor.tags as string[] | undefined) ?? []).filter((tag) => !merger.tagsAdded.includes(tag));
    const survivorNext = withCustomValues(
      {
        ...survivor,
        tags,
        mergedIds: ((survivor.mergedIds as string[] | undefined) ?? []).filter((merged) => merged !== duplicateId),
        ...changedBookkeeping(survivor, 1, sub, now),
      },
      unmergedCustomValues(storedCustomValues(survivor), merger.customFieldsAdded ?? [], storedCustomValues(record)),
      fields,
    );
    const duplicate = { ...record, ...changedBookkeeping(record, 2, sub, now) };
    try {
      await unmergeCustomer(survivor, survivorNext, record, duplicate, now, {
        survivor: [
          crmEvent(
            request,
            'CustomerUnmerged',
            { type: 'Customer', id },
            survivor.sequence + 1,
            { customer: toCrmCustomer(survivorNext, fields), survivorId: id, unmergedId: duplicateId },
            `Unmerged ${record.name} (${duplicateId})`,
          ),
        ],
        duplicate: [
          crmEvent(
            request,
            'CustomerRestored',
            { type: 'Customer', id: duplicateId },
            record.sequence + 1,
            { customer: toCrmCustomer(duplicate, fields) },
            `Unmerged from ${id}`,
          ),
          ...tmfCustomerEvents(['CustomerCreateEvent'], duplicate, changeContext(request, fields), record.sequence + 2, true),
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailed && error.index > 0) throw new ConditionFailed(0, undefined);
      throw error;
    }
    return duplicate;
  });
  await moveBackStep(tenantId, duplicateId, id, Date.now() + IN_REQUEST_MS);
  return customerResponse(request, restored, fields);
});
