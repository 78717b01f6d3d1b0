import { defineHandler } from '../http/kernel.ts';
import { createRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Contact';

/** POST /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/Create — Create a customer contact record. */
export const handler = defineHandler(bianCrm.bianCrmCreateContact, (request) => createRecord(request, KIND));
