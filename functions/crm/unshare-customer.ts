import { defineHandler } from '../http/kernel.ts';
import { changeShareOf } from './share-changes.ts';
import { crm } from './operations.ts';

/** DELETE /api/v1/crm/customers/{id}/shares/{grantee} — withdraws the share; one not there changes nothing. */
export const handler = defineHandler(crm.unshareCrmCustomer, (request) => changeShareOf(request, undefined));
