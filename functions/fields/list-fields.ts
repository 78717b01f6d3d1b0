import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { FIELD_KEY } from '../domain/custom-fields.ts';
import { listFieldDefinitions } from '../storage/fields/field-definitions.ts';
import { fieldObject, fieldView } from './field-view.ts';
import { fields } from './operations.ts';

/** GET /api/v1/fields/{object}?limit=&cursor= — a page of the fields in key order (one Query), archived ones flagged; `X-Next-Cursor` when there is more. */
export const handler = defineHandler(fields.listFields, async (request) => {
  const object = fieldObject(request.params.object);
  const { limit, cursor } = request.query;
  // The cursor is the last key of the page before: nothing secret, and nothing but a key.
  if (cursor !== undefined && !FIELD_KEY.test(cursor)) throw badRequest('cursor: not a cursor of this list.');
  const page = await listFieldDefinitions(request.caller.tenantId, object, { limit, after: cursor });
  const headers: Record<string, string> = page.next ? { 'x-next-cursor': page.next } : {};
  return { status: 200, body: page.definitions.map(fieldView), headers };
});
