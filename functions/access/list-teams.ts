import { defineHandler } from '../http/kernel.ts';
import { listPage } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/teams?limit=&cursor= — a page of the tenant's teams in id order (one Query). */
export const handler = defineHandler(access.listTeams, (request) => listPage(request, 'team'));
