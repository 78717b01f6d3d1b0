import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Contact';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Update — Update a customer contact record. */
export const handler = defineHandler(bianCrm.bianCrmUpdateContact, (request) => actOnRecord(request, KIND, 'Update'));
