import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { CRM_STATUSES, isCrmStatus } from '../domain/crm-status.ts';
import { customerPageResponse, pageOf, readableList } from './customer-lists.ts';
import { crm } from './operations.ts';

/**
 * GET /api/v1/crm/customers?status=&ownerId=&tag=&q=&limit=&cursor= — by name, from the list of the
 * most selective parameter (owner, then status, else the whole tenant); `q` is a name prefix on
 * that list's order; `tag` (and `status` beside `ownerId`) narrow the page's customers.
 */
export const handler = defineHandler(crm.listCrmCustomers, async (request) => {
  const { status, ownerId, tag, q: prefix } = request.query;
  if (status !== undefined && !isCrmStatus(status)) throw badRequest(`Unknown status '${status}'; use one of ${CRM_STATUSES.join(', ')}.`);
  const tenant = request.caller.tenantId;
  const page = pageOf(request);
  const asked = () => {
    if (ownerId !== undefined) return customerLists.byOwner(tenant, ownerId, { prefix, tag, crmStatus: status }, page);
    if (status !== undefined) return customerLists.byStatus(tenant, status, { prefix, tag }, page);
    return customerLists.all(tenant, { prefix, tag }, page);
  };
  return customerPageResponse(request, readableList(request, asked, { prefix, tag, crmStatus: status, ownerId }, page));
});
