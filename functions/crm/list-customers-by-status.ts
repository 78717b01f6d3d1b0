import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { keys } from '../storage/keys.ts';
import { CRM_STATUSES, isCrmStatus } from '../domain/crm-status.ts';
import { customerPage } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/by-status/{status} — one Query on the CRM status index per page; unknown status 400. */
export const handler = defineHandler(crm.listCrmCustomersByStatus, async (request) => {
  const status = request.params.status!;
  if (!isCrmStatus(status)) throw badRequest(`Unknown status '${status}'; use one of ${CRM_STATUSES.join(', ')}.`);
  return customerPage(request, { index: 'gsi4', partition: keys.crmStatusIndex(request.caller.tenantId, status) });
});
