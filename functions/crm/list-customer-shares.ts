import { defineHandler } from '../http/kernel.ts';
import { sharesOf } from '../domain/access.ts';
import { readCustomerWithFields } from '../http/custom-values.ts';
import { etag } from '../http/preconditions.ts';
import { customerNotFound } from './customer-changes.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/{id}/shares — who the customer is shared with, and to do what (at most 20); 404 for one the caller may not see. */
export const handler = defineHandler(crm.listCrmCustomerShares, async (request) => {
  const found = await readCustomerWithFields(request, request.params.id);
  if (!found) throw customerNotFound(request.params.id);
  return { status: 200, body: sharesOf(found.record), headers: { etag: etag(found.record.version) } };
});
