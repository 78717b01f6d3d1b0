import { parseFields, selectFields, UnknownFieldError } from '../domain/field-selection.ts';
import { showCustomer, type TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { badRequest } from '../http/errors.ts';
import { CUSTOM_FIELDS, withCustomCharacteristics, type FieldsInForce } from '../domain/custom-values.ts';

/** `fields` parsed against the generation's first-level attributes; an unknown name is a 400. */
export const selectedFields = (generation: TmfGeneration, fields: string | undefined): string[] | undefined => {
  try {
    return parseFields(fields, ['id', 'href', ...Object.keys(generation.mappings)]);
  } catch (error) {
    if (error instanceof UnknownFieldError) throw badRequest(`fields: ${error.message}`);
    throw error;
  }
};

/** The stored attributes a selection needs read (undefined: all of them); the custom values with the characteristics. */
export const storedAttributesFor = (generation: TmfGeneration, fields: string[] | undefined): string[] | undefined => {
  if (!fields) return undefined;
  const stored = new Set(
    [...fields, ...generation.keptBySelection].flatMap((name) => {
      const mapping = generation.mappings[name];
      return mapping ? [mapping.stored] : [];
    }),
  );
  if (stored.has('characteristic')) stored.add(CUSTOM_FIELDS);
  return ['id', ...stored];
};

/**
 * The customer as the generation shows it, its custom values among the characteristics (typed by
 * the tenant's fields in force, `custom`), with only the `fields` selected (and what the generation
 * keeps beside them).
 */
export const customerAnswer = (
  generation: TmfGeneration,
  record: { id: string } & Json,
  baseUrl: string,
  fields: string[] | undefined,
  custom: FieldsInForce,
): Json => selectFields(showCustomer(generation, withCustomCharacteristics(record, custom), baseUrl), fields, generation.keptBySelection);
