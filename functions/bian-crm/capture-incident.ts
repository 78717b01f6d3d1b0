import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Capture — Capture details of an incident. */
export const handler = defineHandler(bianCrm.bianCrmCaptureIncident, (request) => actOnRecord(request, KIND, 'Capture'));
