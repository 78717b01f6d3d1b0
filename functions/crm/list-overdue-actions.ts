import { defineHandler } from '../http/kernel.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { customerPageResponse, pageOf } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/overdue-actions — next action due before now, earliest first. */
export const handler = defineHandler(crm.listOverdueActions, async (request) =>
  customerPageResponse(request, customerLists.overdue(request.caller.tenantId, new Date().toISOString(), pageOf(request))),
);
