import { defineHandler } from '../http/kernel.ts';
import { conflict } from '../http/errors.ts';
import { allAccessEntries } from '../storage/access/access-config.ts';
import { deleteEntry } from './access-changes.ts';
import { access } from './operations.ts';

/**
 * DELETE /api/v1/access/teams/{teamId} — removes a team no other team is under (409 naming them);
 * its members keep their other teams, its customers stay reachable by owner, shares and tenant-wide
 * roles. TeamDeleted.
 */
export const handler = defineHandler(access.deleteTeam, (request) =>
  deleteEntry(request, 'team', request.params.teamId, async () => {
    const under = (await allAccessEntries(request.caller.tenantId, 'team')).filter((team) => team.parentId === request.params.teamId);
    if (under.length > 0) throw conflict(`Teams ${under.map((t) => `'${t.id}'`).join(', ')} are under '${request.params.teamId}': move or remove them first.`);
  }),
);
