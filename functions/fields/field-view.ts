import { FIELD_OBJECTS, type FieldObject } from '../domain/custom-fields.ts';
import { notFound } from '../http/errors.ts';
import type { StoredFieldDefinition } from '../storage/fields/field-definitions.ts';

/** The object of a field path (`/api/v1/fields/{object}`): one that has custom fields, or 404. */
export const fieldObject = (object: string): FieldObject => {
  if ((FIELD_OBJECTS as readonly string[]).includes(object)) return object as FieldObject;
  throw notFound(`No custom fields for '${object}'; objects with custom fields: ${FIELD_OBJECTS.join(', ')}.`);
};

export const fieldNotFound = (object: string, key: string) => notFound(`The ${object} field '${key}' does not exist.`);

/** A definition as the field API and its events show it: every flag as a boolean, no tenant, no event count. */
export const fieldView = (field: StoredFieldDefinition): Record<string, unknown> => {
  const { tenantId: _t, sequence: _s, required, unique, sensitive, searchable, archived, ...rest } = field;
  return {
    ...rest,
    required: Boolean(required),
    unique: Boolean(unique),
    sensitive: Boolean(sensitive),
    searchable: Boolean(searchable),
    archived: Boolean(archived),
  };
};
