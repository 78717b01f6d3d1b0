import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Exchange — Accept, verify or reject a relationship plan. */
export const handler = defineHandler(bianCrm.bianCrmExchange, (request) => actOnRecord(request, KIND, 'Exchange'));
