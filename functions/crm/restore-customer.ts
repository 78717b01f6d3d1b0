import { changeContext, defineHandler } from '../http/kernel.ts';
import { reachable } from '../http/access.ts';
import { conflict } from '../http/errors.ts';
import { changeVersioned } from '../http/versioned-change.ts';
import { getCustomerState, restoreCustomer } from '../storage/customers/customer-lifecycle.ts';
import type { CustomerRecord } from '../storage/customers/customer-items.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound, customerResponse } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';
import type { FieldsInForce } from '../domain/custom-values.ts';

/**
 * POST /api/v1/crm/customers/{id}/restore — 200 with the customer: a deleted customer inside its
 * window comes back as it was, with everything it owned (activities, opportunities, timeline,
 * tags, due items), in every list and family. 404 for an unknown, purged or erased customer, or
 * once the window is over; 409 for a customer that is not deleted. CustomerRestored, and
 * TMF629's CustomerCreateEvent (it exists again) for the hub listeners; If-Match honoured.
 */
export const handler = defineHandler(crm.restoreCrmCustomer, (request) => {
  const id = request.params.id;
  const now = new Date().toISOString();
  return changeVersioned<CustomerRecord, 'restored', FieldsInForce>(request, {
    read: async () => {
      const found = await getCustomerState(request.caller.tenantId, id);
      if (!found || found.state === 'erased' || !reachable(request, found.record, 'write')) return undefined;
      if (found.state === 'live') throw conflict(`Customer '${id}' is not deleted.`);
      if (found.state === 'merged') throw conflict(`Customer '${id}' was merged into '${found.merger.mergedInto}': unmerge it there instead.`);
      return found.deletion.purgeAt > now ? { record: found.record, context: await customerFields(request) } : undefined;
    },
    missing: () => customerNotFound(id),
    decide: (current) => ({ record: current, events: ['restored', 'restored'] }),
    write: ({ current, next, context: fields }) =>
      restoreCustomer(current, next, now, [
        crmEvent(
          request,
          'CustomerRestored',
          { type: 'Customer', id },
          current.sequence + 1,
          { customer: toCrmCustomer(next, fields) },
          `Customer ${next.name} restored`,
        ),
        ...tmfCustomerEvents(['CustomerCreateEvent'], next, changeContext(request, fields), current.sequence + 2, true),
      ]),
    respond: (record, _changed, fields) => customerResponse(request, record, fields),
  });
});
