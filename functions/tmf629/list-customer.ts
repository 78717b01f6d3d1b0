import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { listTmfCustomers, MAX_IDS, MAX_OFFSET } from '../storage/customer-lists.ts';
import { ListQueryError, parseListQuery, type ListQuery } from '../domain/list-filters.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { customerAnswer, FILTERABLE, selectedFields, storedAttributesFor } from './customer-view.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';

/**
 * GET /customer in any generation — a page of the tenant's customers by name, with X-Result-Count,
 * X-Total-Count where it is known exactly (no filter, one `name`, or `id`), and X-Next-Cursor plus
 * a `Link` (rel="next") while there is more. `offset` goes to MAX_OFFSET; past it, callers follow the cursor.
 */
export const listCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['listCustomer']) =>
  defineHandler(operation, async (request) => {
    let query: ListQuery;
    try {
      query = parseListQuery(request.query, FILTERABLE, MAX_OFFSET);
    } catch (error) {
      if (error instanceof ListQueryError) throw badRequest(error.message);
      throw error;
    }
    if ((query.filters.id?.length ?? 0) > MAX_IDS) throw badRequest(`'id' takes at most ${MAX_IDS} values`);
    const fields = selectedFields(generation, query.fields);
    // With `fields`, only the stored attributes those are shown from are read.
    const page = await listTmfCustomers(request.caller.tenantId, { ...query, attributes: storedAttributesFor(generation, fields) });
    const body = page.items.map((record) => customerAnswer(generation, record, request.baseUrl, fields));
    const headers: Record<string, string> = { 'x-result-count': String(body.length) };
    if (page.total !== undefined) headers['x-total-count'] = String(page.total);
    if (page.next) {
      const next = new URLSearchParams({ ...request.query, cursor: page.next });
      next.delete('offset');
      headers['x-next-cursor'] = page.next;
      headers.link = `<${request.baseUrl}${request.path}?${next.toString()}>; rel="next"`;
    }
    return { status: 200, body, headers };
  });

export const handler = listCustomer(v4, tmf629.listCustomer);
