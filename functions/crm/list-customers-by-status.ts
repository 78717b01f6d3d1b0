import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { CRM_STATUSES, isCrmStatus } from '../domain/crm-status.ts';
import { customerPageResponse, pageOf, readableList } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/by-status/{status} — the customers at a CRM status by name, a page at a time; unknown status 400. */
export const handler = defineHandler(crm.listCrmCustomersByStatus, async (request) => {
  const status = request.params.status!;
  if (!isCrmStatus(status)) throw badRequest(`Unknown status '${status}'; use one of ${CRM_STATUSES.join(', ')}.`);
  return customerPageResponse(
    request,
    readableList(request, () => customerLists.byStatus(request.caller.tenantId, status, {}, pageOf(request)), { crmStatus: status }, pageOf(request)),
  );
});
