import { defineHandler } from '../http/kernel.ts';
import { createRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** POST /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/Create — Create a customer incident. */
export const handler = defineHandler(bianCrm.bianCrmCreateIncident, (request) => createRecord(request, KIND));
