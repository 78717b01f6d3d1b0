import { defineHandler } from '../http/kernel.ts';
import { builtInView, oneEntry } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/roles/{roleName} — a built-in role, or one of the tenant's with its ETag. */
export const handler = defineHandler(access.getRole, async (request) => {
  const builtIn = builtInView(request.params.roleName);
  return builtIn ? { status: 200, body: builtIn } : oneEntry(request, 'role', request.params.roleName);
});
