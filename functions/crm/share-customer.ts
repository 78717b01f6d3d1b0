import { defineHandler } from '../http/kernel.ts';
import { changeShareOf } from './share-changes.ts';
import { crm } from './operations.ts';

/** PUT /api/v1/crm/customers/{id}/shares/{grantee} — shares the customer with `user:<id>` or `team:<id>` to read or write. */
export const handler = defineHandler(crm.shareCrmCustomer, (request) => changeShareOf(request, request.body.access));
