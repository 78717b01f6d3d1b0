import { defineHandler } from '../http/kernel.ts';
import { retrieveRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'CustomerRelationshipManagementPlan';

/** GET /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Retrieve — Retrieve a relationship plan. */
export const handler = defineHandler(bianCrm.bianCrmRetrieve, (request) => retrieveRecord(request, KIND));
