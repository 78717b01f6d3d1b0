import { defineHandler } from '../http/kernel.ts';
import { listChildPage } from './child-lists.ts';
import { crm } from './operations.ts';

/** GET /api/v1/crm/customers/{id}/activities — newest first, paged with a cursor. */
export const handler = defineHandler(crm.listActivities, (request) => listChildPage(request, 'ACTIVITY'));
