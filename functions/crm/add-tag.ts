import { defineHandler } from '../http/kernel.ts';
import { changeTagOf } from './tag-changes.ts';
import { crm } from './operations.ts';

/** POST /api/v1/crm/customers/{id}/tags/{tag} — adding a tag that is there changes nothing. */
export const handler = defineHandler(crm.addCrmTag, (request) => changeTagOf(request, true));
