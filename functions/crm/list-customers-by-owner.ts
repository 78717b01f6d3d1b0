import { defineHandler } from '../http/kernel.ts';
import { keys } from '../storage/keys.ts';
import { customerPage } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/by-owner/{ownerId} — one Query on the owner index per page. */
export const handler = defineHandler(crm.listCrmCustomersByOwner, (request) =>
  customerPage(request, { index: 'gsi3', partition: keys.ownerIndex(request.caller.tenantId, request.params.ownerId!) }),
);
