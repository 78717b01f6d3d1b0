import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Update — Update a customer incident. */
export const handler = defineHandler(bianCrm.bianCrmUpdateIncident, (request) => actOnRecord(request, KIND, 'Update'));
