/**
 * The field API's schemas (README, "Custom fields"). The shape of a definition is checked here;
 * what makes one consistent (constraints its type takes, a valid RE2 pattern, a default that fits)
 * is the domain's `definitionProblems`, reported all at once by the handler.
 */
import * as z from 'zod/mini';
import { CUSTOM_FIELD_LIMITS, FIELD_TYPES } from '../domain/custom-fields.ts';
import { FieldView } from '../events/field-events.ts';
import { optionalShape, patchShape } from '../http/validation.ts';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const Option = z.lazy(() => z.strictObject({ key: text(63), label: text(CUSTOM_FIELD_LIMITS.labelLength * 2), retired: z.optional(z.boolean()) }));

/** What a definition may say beside its key and type (each constraint applies to some types only). */
const attributes = () => ({
  label: text(CUSTOM_FIELD_LIMITS.labelLength * 2),
  description: z.string().check(z.maxLength(CUSTOM_FIELD_LIMITS.descriptionLength * 2)),
  group: text(CUSTOM_FIELD_LIMITS.labelLength * 2),
  required: z.boolean(),
  sensitive: z.boolean(),
  searchable: z.boolean(),
  min: z.number(),
  max: z.number(),
  minLength: z.int(),
  maxLength: z.int(),
  pattern: text(CUSTOM_FIELD_LIMITS.patternLength * 2),
  scale: z.int(),
  options: z.array(Option).check(z.maxLength(CUSTOM_FIELD_LIMITS.options)),
  defaultCountry: z.string().check(z.maxLength(2)),
  default: z.unknown(),
});

export const FieldType = z.lazy(() => z.enum(FIELD_TYPES));

export const FieldCreate = z.lazy(() => {
  const fields = attributes();
  return z.strictObject({
    key: text(63),
    type: FieldType,
    unique: z.optional(z.boolean()),
    ...optionalShape(fields),
    label: fields.label,
  }) as z.ZodMiniType<FieldInput>;
});

/** PATCH: a merge patch of the definition (null clears a constraint); key, unique and archived are not among it. */
export const FieldUpdate = z.lazy(
  () =>
    z.strictObject({
      type: z.optional(FieldType),
      ...patchShape(attributes(), ['label']),
    }) as z.ZodMiniType<Record<string, unknown>>,
);

export interface FieldInput {
  key: string;
  type: (typeof FIELD_TYPES)[number];
  label: string;
  unique?: boolean;
  [name: string]: unknown;
}

export { FieldView as Field };

/** The JSON Schema (2020-12) of a tenant's custom values: an object schema, its properties the fields. */
export const FieldsSchema = z.lazy(() =>
  z.looseObject({ $schema: z.string(), type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())) }),
);

export const FieldError = z.lazy(() => z.object({ title: z.string(), detail: z.string(), time: z.string() }));
