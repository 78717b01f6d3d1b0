import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Update — Update details of an active relationship plan. */
export const handler = defineHandler(bianCrm.bianCrmUpdate, (request) => actOnRecord(request, KIND, 'Update'));
