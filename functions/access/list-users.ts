import { defineHandler } from '../http/kernel.ts';
import { listPage } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/users?limit=&cursor= — a page of the users given teams or roles, in id order (one Query). */
export const handler = defineHandler(access.listUsers, (request) => listPage(request, 'user'));
