import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Development';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Update — Update a relationship development task. */
export const handler = defineHandler(bianCrm.bianCrmUpdateDevelopment, (request) => actOnRecord(request, KIND, 'Update'));
