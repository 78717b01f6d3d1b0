import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { DEFAULT_ROLE } from '../domain/access.ts';
import { DEFAULT_RATE_LIMITS, getAccessEntry } from '../storage/access/access-config.ts';
import { entryView } from './access-changes.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/settings — the tenant's default role and rate limits (the defaults until an admin sets them). */
export const handler = defineHandler(access.getAccessSettings, async (request) => {
  const settings = await getAccessEntry(request.caller.tenantId, 'settings', '');
  if (!settings) return { status: 200, body: { defaultRole: DEFAULT_ROLE, rateLimits: DEFAULT_RATE_LIMITS } };
  return { status: 200, body: entryView(settings), headers: { etag: etag(settings.version) } };
});
