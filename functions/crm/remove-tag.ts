import { defineHandler } from '../http/kernel.ts';
import { changeTagOf } from './tag-changes.ts';
import { crm } from './operations.ts';

/** DELETE /api/v1/crm/customers/{id}/tags/{tag} — removing a tag that is not there changes nothing. */
export const handler = defineHandler(crm.removeCrmTag, (request) => changeTagOf(request, false));
