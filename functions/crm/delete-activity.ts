import { defineHandler } from '../http/kernel.ts';
import { deleteChildRequest } from './child-changes.ts';
import { crm } from './operations.ts';

/** DELETE /api/v1/crm/customers/{id}/activities/{activityId} — 204, ActivityDeleted; If-Match honoured. */
export const handler = defineHandler(crm.deleteActivity, (request) => deleteChildRequest(request, 'ACTIVITY', request.params.activityId!));
