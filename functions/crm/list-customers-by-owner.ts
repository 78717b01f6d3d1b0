import { defineHandler } from '../http/kernel.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { customerPageResponse, pageOf, readableList } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/by-owner/{ownerId} — the owner's customers by name, a page at a time. */
export const handler = defineHandler(crm.listCrmCustomersByOwner, async (request) =>
  customerPageResponse(
    request,
    readableList(
      request,
      () => customerLists.byOwner(request.caller.tenantId, request.params.ownerId, {}, pageOf(request)),
      { ownerId: request.params.ownerId },
      pageOf(request),
    ),
  ),
);
