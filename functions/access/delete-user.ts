import { defineHandler } from '../http/kernel.ts';
import { deleteEntry } from './access-changes.ts';
import { access } from './operations.ts';

/** DELETE /api/v1/access/users/{userId} — takes the user's teams and roles away (their groups' roles, or the default role, remain). UserAccessRemoved. */
export const handler = defineHandler(access.deleteUser, (request) => deleteEntry(request, 'user', request.params.userId));
