import { defineHandler } from '../http/kernel.ts';
import { retrieveRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** GET /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Retrieve — Retrieve an incident. */
export const handler = defineHandler(bianCrm.bianCrmRetrieveIncident, (request) => retrieveRecord(request, KIND));
