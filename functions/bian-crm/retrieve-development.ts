import { defineHandler } from '../http/kernel.ts';
import { retrieveRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Development';

/** GET /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/{developmentid}/Retrieve — Retrieve a development task. */
export const handler = defineHandler(bianCrm.bianCrmRetrieveDevelopment, (request) => retrieveRecord(request, KIND));
