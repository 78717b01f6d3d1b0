import { defineHandler } from '../http/kernel.ts';
import { keys } from '../storage/keys.ts';
import { customerPage } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/my — the customers owned by the token's subject. */
export const handler = defineHandler(crm.listMyCrmCustomers, (request) =>
  customerPage(request, { index: 'gsi3', partition: keys.ownerIndex(request.caller.tenantId, request.caller.sub) }),
);
