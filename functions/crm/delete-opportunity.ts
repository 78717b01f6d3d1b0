import { defineHandler } from '../http/kernel.ts';
import { deleteChildRequest } from './child-changes.ts';
import { crm } from './operations.ts';

/** DELETE /api/v1/crm/customers/{id}/opportunities/{opportunityId} — 204, OpportunityDeleted; If-Match honoured. */
export const handler = defineHandler(crm.deleteOpportunity, (request) => deleteChildRequest(request, 'OPPORTUNITY', request.params.opportunityId!));
