import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { listCustomers } from '../storage/customers.ts';
import { ListQueryError, matchesFilters, parseListQuery } from '../domain/list-filters.ts';
import { selectFields } from '../domain/field-selection.ts';
import { ALWAYS_KEPT, FILTERABLE, selectedFields, toTmfCustomer } from './customer-view.ts';
import { tmf629 } from './operations.ts';

/** GET /customer — a page of the tenant's customers, with X-Total-Count and X-Result-Count. */
export const handler = defineHandler(tmf629.listCustomer, async (request) => {
  let query;
  try {
    query = parseListQuery(request.query, FILTERABLE);
  } catch (error) {
    if (error instanceof ListQueryError) throw badRequest(error.message);
    throw error;
  }
  const fields = selectedFields(query.fields);
  const page = await listCustomers(request.caller.tenantId, query.filters, query.offset, query.limit, (record) =>
    matchesFilters(record, query.filters),
  );
  const body = page.items.map((record) => selectFields(toTmfCustomer(record, request.baseUrl), fields, ALWAYS_KEPT));
  return {
    status: 200,
    body,
    headers: { 'x-total-count': String(page.total), 'x-result-count': String(body.length) },
  };
});
