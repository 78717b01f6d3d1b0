import { defineHandler } from '../http/kernel.ts';
import { retrieveRecord } from './bian-actions.ts';
import { bianCrm } from './operations.ts';

const KIND = 'Contact';

/** GET /CustomerRelationshipManagement/{customerrelationshipmanagementid}/Contact/{contactid}/Retrieve — Retrieve a contact record. */
export const handler = defineHandler(bianCrm.bianCrmRetrieveContact, (request) => retrieveRecord(request, KIND));
