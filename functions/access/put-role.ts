import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { ROLE_NAME, type RoleDefinition } from '../domain/access.ts';
import { putEntry, refuseBuiltIn } from './access-changes.ts';
import { access } from './operations.ts';

/**
 * PUT /api/v1/access/roles/{roleName} — creates or replaces one of the tenant's roles (a built-in
 * name is 409): what it reaches for reading and for writing, and its access per field group (a
 * group it does not name is writable). RoleCreated or RoleUpdated; in force within 4 s.
 */
export const handler = defineHandler(access.putRole, (request) => {
  const name = request.params.roleName;
  if (!ROLE_NAME.test(name)) throw badRequest(`Invalid role name '${name}': lower case letters, digits, _ and -, at most 63, starting with a letter.`);
  refuseBuiltIn(name);
  const { description, read, write, fields = {} } = request.body;
  const role: RoleDefinition = {
    name,
    ...(description ? { description } : {}),
    read,
    write,
    fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
  };
  return putEntry(request, 'role', name, role);
});
