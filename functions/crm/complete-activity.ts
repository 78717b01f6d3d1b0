import { defineHandler } from '../http/kernel.ts';
import { changeChild } from './child-changes.ts';
import { crm } from './operations.ts';

/** POST /api/v1/crm/customers/{id}/activities/{activityId}/complete — completing it again changes nothing. */
export const handler = defineHandler(crm.completeActivity, (request) =>
  changeChild(request, 'ACTIVITY', request.params.activityId!, (current) =>
    current.completed === true
      ? { record: current, events: [] }
      : {
          record: { ...current, completed: true, completedAt: new Date().toISOString() },
          events: [{ type: 'ActivityCompleted', description: `${String(current.type)} ${String(current.subject)} completed` }],
        },
  ),
);
