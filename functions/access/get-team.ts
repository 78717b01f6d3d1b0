import { defineHandler } from '../http/kernel.ts';
import { oneEntry } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/teams/{teamId} — the team, with its ETag. */
export const handler = defineHandler(access.getTeam, (request) => oneEntry(request, 'team', request.params.teamId));
