import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { keys } from '../storage/keys.ts';
import { CRM_STATUSES, isCrmStatus } from '../domain/crm-status.ts';
import type { IndexPageQuery } from '../storage/customers.ts';
import { customerPage } from './customer-lists.ts';
import { crm } from './operations.ts';

/**
 * GET /api/v1/crm/customers?status=&ownerId=&tag=&q=&limit=&cursor= — one Query per page on the
 * index of the most selective parameter (owner, then status, then the name index for `q`, else the
 * tenant list); `q` is a name prefix on the index's sort key; the rest narrow the Query as filters.
 */
export const handler = defineHandler(crm.listCrmCustomers, async (request) => {
  const { status, ownerId, tag } = request.query;
  const prefix = request.query.q === undefined ? undefined : request.query.q.toLowerCase();
  if (status !== undefined && !isCrmStatus(status)) throw badRequest(`Unknown status '${status}'; use one of ${CRM_STATUSES.join(', ')}.`);
  const tenant = request.caller.tenantId;
  const filters: NonNullable<IndexPageQuery['filters']> = tag === undefined ? [] : [{ attribute: 'tags', contains: tag }];
  let query: Omit<IndexPageQuery, 'limit' | 'cursor'>;
  if (ownerId !== undefined) {
    query = { index: 'gsi3', partition: keys.ownerIndex(tenant, ownerId), sortPrefix: prefix, filters: [...filters, ...(status ? [{ attribute: 'crmStatus', equals: status }] : [])] };
  } else if (status !== undefined) {
    query = { index: 'gsi4', partition: keys.crmStatusIndex(tenant, status), sortPrefix: prefix, filters };
  } else if (prefix !== undefined) {
    query = { index: 'gsi2', partition: keys.nameIndex(tenant), sortPrefix: prefix, filters };
  } else {
    query = { index: 'gsi1', partition: keys.typeList(tenant, 'CUSTOMER'), filters };
  }
  return customerPage(request, query);
});
