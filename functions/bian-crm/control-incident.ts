import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Control — Control an incident (raise/lower priority, suspend, resume, terminate). */
export const handler = defineHandler(bianCrm.bianCrmControlIncident, (request) => actOnRecord(request, KIND, 'Control'));
