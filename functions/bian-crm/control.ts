import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Control — Control the processing of a relationship plan (suspend, resume, terminate). */
export const handler = defineHandler(bianCrm.bianCrmControl, (request) => actOnRecord(request, KIND, 'Control'));
