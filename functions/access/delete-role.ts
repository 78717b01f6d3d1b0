import { defineHandler } from '../http/kernel.ts';
import { conflict } from '../http/errors.ts';
import { allAccessEntries, getAccessEntry } from '../storage/access/access-config.ts';
import { deleteEntry, refuseBuiltIn } from './access-changes.ts';
import { access } from './operations.ts';

/**
 * DELETE /api/v1/access/roles/{roleName} — removes one of the tenant's roles that no team holds and
 * the settings do not name as the default (409 naming them); users given it lose it (their other
 * roles, groups and default stay). RoleDeleted.
 */
export const handler = defineHandler(access.deleteRole, (request) => {
  const name = request.params.roleName;
  refuseBuiltIn(name);
  return deleteEntry(request, 'role', name, async () => {
    const [teams, settings] = await Promise.all([allAccessEntries(request.caller.tenantId, 'team'), getAccessEntry(request.caller.tenantId, 'settings', '')]);
    const holders = teams.filter((team) => team.roles.includes(name));
    if (holders.length > 0) throw conflict(`Teams ${holders.map((t) => `'${t.id}'`).join(', ')} hold '${name}': take it from them first.`);
    if (settings?.defaultRole === name) throw conflict(`'${name}' is the tenant's default role: name another first.`);
  });
});
