import { defineHandler } from '../http/kernel.ts';
import { createChild } from './child-changes.ts';
import { crm } from './operations.ts';

/** POST /api/v1/crm/customers/{id}/activities — 201; owned by the caller unless `ownerId` says otherwise. */
export const handler = defineHandler(crm.createActivity, (request) =>
  createChild(
    request,
    'ACTIVITY',
    { ownerId: request.caller.sub, priority: 'MEDIUM', ...request.body, completed: false },
    {
      type: 'ActivityCreated',
      description: `${request.body.type} ${request.body.subject}`,
    },
  ),
);
