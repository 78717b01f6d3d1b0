import type { CustomerRecord } from '../storage/customer-items.ts';
import { CUSTOMER_ATTRIBUTE_NAMES } from '../domain/customer-model.ts';
import type { Customer } from './schemas.ts';
import { parseFields, UnknownFieldError } from '../domain/field-selection.ts';
import { badRequest } from '../http/errors.ts';
import { INDEXED_FILTERS } from '../storage/customer-lists.ts';

export const TMF_BASE_PATH = '/tmf-api/customerManagement/v4';
export const TMF_SOURCE = 'rapport.tmf629';

export const customerHref = (baseUrl: string, id: string): string => `${baseUrl}${TMF_BASE_PATH}/customer/${encodeURIComponent(id)}`;

/** The TMF629 representation of a stored customer: its TMF attributes plus `id` and `href`. */
export const toTmfCustomer = (record: Pick<CustomerRecord, 'id'> & Record<string, unknown>, baseUrl: string): Customer => {
  const resource: Record<string, unknown> = { id: record.id, href: customerHref(baseUrl, record.id), ...tmfAttributesOf(record) };
  resource['@type'] ??= 'Customer';
  return resource as Customer;
};

/** The TMF attributes of a stored customer, as a client could have sent them (no id, no href). */
export const tmfAttributesOf = (record: Record<string, unknown>): Record<string, unknown> => {
  const attributes: Record<string, unknown> = {};
  for (const name of CUSTOMER_ATTRIBUTE_NAMES) if (record[name] !== undefined) attributes[name] = record[name];
  return attributes;
};

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
