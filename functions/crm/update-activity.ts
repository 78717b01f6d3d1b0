import { defineHandler } from '../http/kernel.ts';
import { jsonEqual } from '../domain/canonical-json.ts';
import { changeChild, withChanges } from './child-changes.ts';
import { crm } from './operations.ts';

/** PATCH /api/v1/crm/customers/{id}/activities/{activityId} — `null` clears a field; If-Match honoured. */
export const handler = defineHandler(crm.updateActivity, (request) =>
  changeChild(request, 'ACTIVITY', request.params.activityId!, (current) => {
    const next = withChanges(current, request.body);
    // A new due date re-arms the reminder.
    if (request.body.dueDate !== undefined && next.dueDate !== current.dueDate) delete next.dueNotifiedAt;
    if (jsonEqual(current, next)) return { record: current, events: [] };
    return { record: next, events: [{ type: 'ActivityUpdated', description: `${String(next.type)} ${String(next.subject)} updated` }] };
  }),
);
