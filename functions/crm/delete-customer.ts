import { changeContext, defineHandler } from '../http/kernel.ts';
import { deleteCustomerRequest } from '../http/customer-deletion.ts';
import { tmfCustomerEvents } from '../events/tmf-customer-events.ts';
import { crmEvent } from './crm-events.ts';
import { customerNotFound } from './customer-changes.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';

/**
 * DELETE /api/v1/crm/customers/{id} — 204: the customer leaves every read and list of every family
 * at once, its due items stop, and it can be restored (POST …/restore) until its window ends
 * (CUSTOMER_RETENTION_DAYS, 30 by default); then the due sweep purges everything it owned.
 * CustomerDeleted, and TMF629's CustomerDeleteEvent for the hub listeners; If-Match honoured.
 */
export const handler = defineHandler(crm.deleteCrmCustomer, (request) =>
  deleteCustomerRequest(
    request,
    request.params.id,
    () => customerNotFound(request.params.id),
    2,
    (record, deletion, fields) => [
      crmEvent(
        request,
        'CustomerDeleted',
        { type: 'Customer', id: record.id },
        record.sequence + 1,
        { customer: toCrmCustomer(record, fields), deletedAt: deletion.deletedAt, purgeAt: deletion.purgeAt },
        `Customer ${record.name} deleted (restorable until ${deletion.purgeAt})`,
      ),
      ...tmfCustomerEvents(['CustomerDeleteEvent'], record, changeContext(request, fields), record.sequence + 2, true),
    ],
  ),
);
