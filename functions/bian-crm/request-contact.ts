import { defineHandler } from '../http/kernel.ts';
import { actOnRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Contact';

/** PUT /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Request — Request an action on a contact record. */
export const handler = defineHandler(bianCrm.bianCrmRequestContact, (request) => actOnRecord(request, KIND, 'Request'));
