import { defineHandler } from '../http/kernel.ts';
import { oneEntry } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/users/{userId} — the user's teams and roles, with the ETag. */
export const handler = defineHandler(access.getUser, (request) => oneEntry(request, 'user', request.params.userId));
