import { defineHandler } from '../http/kernel.ts';
import { keys } from '../storage/keys.ts';
import { customerPage } from './customer-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/overdue-actions — next action due before now, earliest first (next-action index). */
export const handler = defineHandler(crm.listOverdueActions, (request) =>
  customerPage(request, { index: 'gsi5', partition: keys.nextActionIndex(request.caller.tenantId), sortBefore: new Date().toISOString() }),
);
