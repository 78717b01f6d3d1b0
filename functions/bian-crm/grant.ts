import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Grant — Grant an action in a relationship plan. */
export const handler = defineHandler(bianCrm.bianCrmGrant, (request) => actOnRecord(request, KIND, 'Grant'));
