import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Development';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Request — Request an action on a development task. */
export const handler = defineHandler(bianCrm.bianCrmRequestDevelopment, (request) => actOnRecord(request, KIND, 'Request'));
