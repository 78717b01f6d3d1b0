import { defineHandler } from '../http/kernel.ts';
import { BUILT_IN_ROLE_NAMES } from '../domain/access.ts';
import { builtInView, listPage } from './access-lists.ts';
import { access } from './operations.ts';

/** GET /api/v1/access/roles?limit=&cursor= — the built-in roles on the first page, then a page of the tenant's own in name order. */
export const handler = defineHandler(access.listRoles, async (request) => {
  const page = await listPage(request, 'role');
  const builtIn = request.query.cursor === undefined ? BUILT_IN_ROLE_NAMES.map((name) => builtInView(name)!) : [];
  return { ...page, body: [...builtIn, ...(page.body as unknown[])] };
});
