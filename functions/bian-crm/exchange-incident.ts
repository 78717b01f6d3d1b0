import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Incident';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Incident/{incidentid}/Exchange — Accept, reject or confirm an incident. */
export const handler = defineHandler(bianCrm.bianCrmExchangeIncident, (request) => actOnRecord(request, KIND, 'Exchange'));
