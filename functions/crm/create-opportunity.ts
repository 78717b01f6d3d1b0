import { defineHandler } from '../http/kernel.ts';
import { createChild } from './child-changes.ts';
import { crm } from './operations.ts';

/** POST /api/v1/crm/customers/{id}/opportunities — 201; starts NEW and owned by the caller unless told otherwise. */
export const handler = defineHandler(crm.createOpportunity, (request) =>
  createChild(
    request,
    'OPPORTUNITY',
    { status: 'NEW', ownerId: request.caller.sub, ...request.body },
    {
      type: 'OpportunityCreated',
      description: `Opportunity ${request.body.name} opened`,
    },
  ),
);
