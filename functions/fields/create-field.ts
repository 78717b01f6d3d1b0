import { defineHandler } from '../http/kernel.ts';
import { etag } from '../http/preconditions.ts';
import type { FieldDefinition } from '../domain/custom-fields.ts';
import { newBookkeeping } from '../storage/table/bookkeeping.ts';
import { insertFieldDefinition, type StoredFieldDefinition } from '../storage/fields/field-definitions.ts';
import { checkedDefinition, newFieldEvent } from './field-changes.ts';
import { fieldObject, fieldView } from './field-view.ts';
import { FIELDS_PATH, fields } from './operations.ts';

/**
 * POST /api/v1/fields/{object} — 201 with the field. Every problem of the definition at once
 * (400); 409 for a key ever used; 422 at the tenant's ceilings (500 fields, 20 unique); 413 past
 * a definition's byte budget. In force on every instance within FIELDS_CACHE_SECONDS.
 */
export const handler = defineHandler(fields.createField, async (request) => {
  const object = fieldObject(request.params.object);
  const { tenantId, sub } = request.caller;
  const definition = await checkedDefinition(request.body as FieldDefinition);
  const field: StoredFieldDefinition = { ...definition, tenantId, object, ...newBookkeeping(sub) };
  const response = {
    status: 201,
    body: fieldView(field),
    headers: { location: `${request.baseUrl}${FIELDS_PATH}/${object}/${field.key}`, etag: etag(field.version) },
  };
  await insertFieldDefinition(field, [newFieldEvent(request, 'FieldCreated', field, 1)], request.idempotency(response));
  return response;
});
