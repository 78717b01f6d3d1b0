import { defineHandler } from '../http/kernel.ts';
import { parseWith } from '../http/validation.ts';
import { checkRoles, checkTeams, putEntry } from './access-changes.ts';
import { EntryId } from './schemas.ts';
import { access } from './operations.ts';

/**
 * PUT /api/v1/access/users/{userId} — gives a user (the token's `sub`) their teams and roles, each
 * existing. UserAccessChanged; in force within 4 s. The first team is where their new customers go.
 */
export const handler = defineHandler(access.putUser, (request) => {
  const { tenantId } = request.caller;
  const id = parseWith(EntryId, request.params.userId, 'userId');
  const teams = [...new Set(request.body.teams)];
  const roles = [...new Set(request.body.roles)];
  return putEntry(request, 'user', id, { id, teams, roles }, async () => {
    await Promise.all([checkTeams(tenantId, teams, 'teams'), checkRoles(tenantId, roles, 'roles')]);
  });
});
