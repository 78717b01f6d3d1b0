import { parseFields, selectFields, UnknownFieldError } from '../domain/field-selection.ts';
import { showCustomer, type TmfGeneration } from '../domain/tmf629/generation.ts';
import type { Json } from '../domain/tmf629/items.ts';
import { badRequest } from '../http/errors.ts';
import { INDEXED_FILTERS } from '../storage/customers/customer-lists.ts';

/** Scalar first-level attributes that can filter a list: those the customer lists carry in their index (the same names in every generation). */
export const FILTERABLE = INDEXED_FILTERS;

/** `fields` parsed against the generation's first-level attributes; an unknown name is a 400. */
export const selectedFields = (generation: TmfGeneration, fields: string | undefined): string[] | undefined => {
  try {
    return parseFields(fields, ['id', 'href', ...Object.keys(generation.mappings)]);
  } catch (error) {
    if (error instanceof UnknownFieldError) throw badRequest(`fields: ${error.message}`);
    throw error;
  }
};

/** The stored attributes a selection needs read (undefined: all of them). */
export const storedAttributesFor = (generation: TmfGeneration, fields: string[] | undefined): string[] | undefined =>
  fields && [
    'id',
    ...new Set(
      [...fields, ...generation.keptBySelection].flatMap((name) => {
        const mapping = generation.mappings[name];
        return mapping ? [mapping.stored] : [];
      }),
    ),
  ];

/** The customer as the generation shows it, with only the `fields` selected (and what the generation keeps beside them). */
export const customerAnswer = (generation: TmfGeneration, record: { id: string } & Json, baseUrl: string, fields: string[] | undefined): Json =>
  selectFields(showCustomer(generation, record, baseUrl), fields, generation.keptBySelection);
