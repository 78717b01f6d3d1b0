import { defineHandler } from '../http/kernel.ts';
import { customFieldsJsonSchema } from '../domain/custom-fields.ts';
import { allFieldDefinitions } from '../storage/fields/field-definitions.ts';
import { fieldObject } from './field-view.ts';
import { FIELDS_PATH, fields } from './operations.ts';

/**
 * GET /api/v1/fields/{object}/schema — the JSON Schema (2020-12) of the tenant's custom values of
 * the object as reads show them (archived fields left out), read fresh: a client generates its
 * types from its own tenant.
 */
export const handler = defineHandler(fields.getFieldsSchema, async (request) => {
  const object = fieldObject(request.params.object);
  const definitions = await allFieldDefinitions(request.caller.tenantId, object);
  return { status: 200, body: customFieldsJsonSchema(definitions, `${request.baseUrl}${FIELDS_PATH}/${object}/schema`) };
});
