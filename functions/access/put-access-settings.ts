import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { checkRoles, putEntry } from './access-changes.ts';
import { access } from './operations.ts';

/**
 * PUT /api/v1/access/settings — the tenant's default role (an existing one) and its rate limits per
 * second, for the tenant and for each user (at most the tenant's). AccessSettingsChanged; in force
 * within 4 s.
 */
export const handler = defineHandler(access.putAccessSettings, async (request) => {
  const { defaultRole, rateLimits } = request.body;
  if (rateLimits.userPerSecond > rateLimits.tenantPerSecond)
    throw badRequest('Invalid request body: rateLimits.userPerSecond: at most rateLimits.tenantPerSecond.');
  return putEntry(request, 'settings', '', { defaultRole, rateLimits }, () => checkRoles(request.caller.tenantId, [defaultRole], 'defaultRole'));
});
