import { CUSTOMER_ATTRIBUTE_NAMES } from '../domain/customer-model.ts';
import { parseFields, UnknownFieldError } from '../domain/field-selection.ts';
import { badRequest } from '../http/errors.ts';
import { INDEXED_FILTERS } from '../storage/customer-lists.ts';

/** First-level attributes that can be selected with `fields`. */
export const SELECTABLE_FIELDS = ['id', 'href', ...CUSTOMER_ATTRIBUTE_NAMES];
/** Always returned, whatever `fields` says. */
export const ALWAYS_KEPT = ['id', 'href', '@type'];
/** Scalar first-level attributes that can filter a list: those the customer lists carry in their index. */
export const FILTERABLE = INDEXED_FILTERS;

/** `fields` parsed against the customer's first-level attributes; an unknown name is a 400. */
export const selectedFields = (fields: string | undefined): string[] | undefined => {
  try {
    return parseFields(fields, SELECTABLE_FIELDS);
  } catch (error) {
    if (error instanceof UnknownFieldError) throw badRequest(`fields: ${error.message}`);
    throw error;
  }
};
