import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { parseWith } from '../http/validation.ts';
import { ACCESS_LIMITS } from '../domain/access.ts';
import { getAccessEntry } from '../storage/access/access-config.ts';
import { checkRoles, putEntry } from './access-changes.ts';
import { EntryId } from './schemas.ts';
import { access } from './operations.ts';

/**
 * PUT /api/v1/access/teams/{teamId} — creates or replaces a team. Its parent must exist, must not
 * be the team or a team under it, and leaves the team at most ACCESS_LIMITS.teamDepth levels deep;
 * its roles must exist. TeamCreated or TeamUpdated.
 */
export const handler = defineHandler(access.putTeam, async (request) => {
  const { tenantId } = request.caller;
  const id = parseWith(EntryId, request.params.teamId, 'teamId');
  const { name, parentId, roles = [] } = request.body;
  return putEntry(request, 'team', id, { id, name, ...(parentId ? { parentId } : {}), roles: [...new Set(roles)] }, async () => {
    await checkRoles(tenantId, roles, 'roles');
    if (!parentId) return;
    // The chain above the parent: bounded by the depth the model allows.
    const chain: string[] = [];
    for (let at: string | undefined = parentId; at !== undefined; ) {
      if (at === id) throw badRequest(`Invalid request body: parentId: '${parentId}' is '${id}' or a team under it; a team cannot be under itself.`);
      const team: { parentId?: string } | undefined = await getAccessEntry(tenantId, 'team', at);
      if (!team) throw badRequest(`Invalid request body: parentId: no team '${at}' exists.`);
      chain.push(at);
      if (chain.length >= ACCESS_LIMITS.teamDepth)
        throw badRequest(`Invalid request body: parentId: teams nest at most ${ACCESS_LIMITS.teamDepth} levels deep.`);
      at = team.parentId;
    }
  });
});
