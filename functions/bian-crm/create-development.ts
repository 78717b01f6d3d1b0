import { defineHandler } from '../http/kernel.ts';
import { createRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Development';

/** POST /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Development/Create — Create a relationship development task. */
export const handler = defineHandler(bianCrm.bianCrmCreateDevelopment, (request) => createRecord(request, KIND));
