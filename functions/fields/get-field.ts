import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import { getFieldDefinition } from '../storage/fields/field-definitions.ts';
import { fieldNotFound, fieldObject, fieldView } from './field-view.ts';
import { fields } from './operations.ts';

/** GET /api/v1/fields/{object}/{key} — the field, archived or not, with its ETag. */
export const handler = defineHandler(fields.getField, async (request) => {
  const object = fieldObject(request.params.object);
  const field = await getFieldDefinition(request.caller.tenantId, object, request.params.key);
  if (!field) throw fieldNotFound(object, request.params.key);
  return { status: 200, body: fieldView(field), headers: { etag: etag(field.version) } };
});
