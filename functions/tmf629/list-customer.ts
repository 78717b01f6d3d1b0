import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { listTmfCustomers, MAX_IDS, MAX_OFFSET } from '../storage/customer-lists.ts';
import { ListQueryError, parseListQuery, type ListQuery } from '../domain/list-filters.ts';
import { selectFields } from '../domain/field-selection.ts';
import { ALWAYS_KEPT, FILTERABLE, selectedFields } from './customer-view.ts';
import { TMF_BASE_PATH, toTmfCustomer } from '../domain/customer-model.ts';
import { tmf629 } from './operations.ts';

/**
 * GET /customer — a page of the tenant's customers by name, with X-Result-Count, X-Total-Count
 * where it is known exactly (no filter, one `name`, or `id`), and X-Next-Cursor plus a `Link`
 * (rel="next") while there is more. `offset` goes to MAX_OFFSET; past it, callers follow the cursor.
 */
export const handler = defineHandler(tmf629.listCustomer, async (request) => {
  let query: ListQuery;
  try {
    query = parseListQuery(request.query, FILTERABLE, MAX_OFFSET);
  } catch (error) {
    if (error instanceof ListQueryError) throw badRequest(error.message);
    throw error;
  }
  if ((query.filters.id?.length ?? 0) > MAX_IDS) throw badRequest(`'id' takes at most ${MAX_IDS} values`);
  const fields = selectedFields(query.fields);
  // With `fields`, only those (and the always-kept ones, href being made from the id) are needed.
  const attributes = fields && [...fields, ...ALWAYS_KEPT].filter((name) => name !== 'href');
  const page = await listTmfCustomers(request.caller.tenantId, { ...query, attributes });
  const body = page.items.map((record) => selectFields(toTmfCustomer(record, request.baseUrl), fields, ALWAYS_KEPT));
  const headers: Record<string, string> = { 'x-result-count': String(body.length) };
  if (page.total !== undefined) headers['x-total-count'] = String(page.total);
  if (page.next) {
    const next = new URLSearchParams({ ...request.query, cursor: page.next });
    next.delete('offset');
    headers['x-next-cursor'] = page.next;
    headers.link = `<${request.baseUrl}${TMF_BASE_PATH}/customer?${next.toString()}>; rel="next"`;
  }
  return { status: 200, body, headers };
});
