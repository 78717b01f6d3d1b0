import { defineHandler } from '../http/kernel.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { customerPageResponse, pageOf, readableList } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/my — the customers owned by the token's subject, by name. */
export const handler = defineHandler(crm.listMyCrmCustomers, async (request) =>
  customerPageResponse(
    request,
    readableList(
      request,
      () => customerLists.byOwner(request.caller.tenantId, request.caller.sub, {}, pageOf(request)),
      { ownerId: request.caller.sub },
      pageOf(request),
    ),
  ),
);
