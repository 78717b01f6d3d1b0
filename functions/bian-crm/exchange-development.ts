import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Development';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Exchange — Accept, verify or reject a development task. */
export const handler = defineHandler(bianCrm.bianCrmExchangeDevelopment, (request) => actOnRecord(request, KIND, 'Exchange'));
