import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { listTmfCustomers, listVisibleTmfCustomers, MAX_IDS } from '../storage/customers/customer-lists.ts';
import { mayReach, shownToCaller, visibilityOf } from '../http/access.ts';
import { filtersOf } from '../domain/list-filters.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { customerAnswer, FILTERABLE, selectedFields, storedAttributesFor } from './customer-view.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';

/**
 * GET /customer in any generation — a page of the tenant's customers by name, with X-Result-Count,
 * X-Total-Count where it is known exactly (no filter, one `name`, or `id`), and X-Next-Cursor plus
 * a `Link` (rel="next") while there is more. `offset` goes to MAX_OFFSET (the catalog entry's
 * query bounds it, and `limit`); past it, callers follow the cursor.
 */
export const listCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['listCustomer']) =>
  defineHandler(operation, async (request) => {
    const { offset, limit, cursor } = request.query;
    const filters = filtersOf(request.query, FILTERABLE);
    if ((filters.id?.length ?? 0) > MAX_IDS) throw badRequest(`'id' takes at most ${MAX_IDS} values`);
    const fields = selectedFields(generation, request.query.fields);
    // With `fields`, only the stored attributes those are shown from are read.
    const asked = { filters, offset, limit, ...(cursor === undefined ? {} : { cursor }) };
    // A caller whose roles reach less than the tenant lists what they reach (and gets no total, which would say more).
    const [page, custom] = await Promise.all([
      request.caller.access.read.tenant
        ? listTmfCustomers(request.caller.tenantId, { ...asked, attributes: storedAttributesFor(generation, fields) })
        : listVisibleTmfCustomers(request.caller.tenantId, visibilityOf(request), asked, (record) => mayReach(request, record, 'read')),
      customerFields(request),
    ]);
    const body = page.items.map((record) => customerAnswer(generation, shownToCaller(request, record, custom), request.baseUrl, fields, custom));
    const headers: Record<string, string> = { 'x-result-count': String(body.length) };
    if (page.total !== undefined) headers['x-total-count'] = String(page.total);
    if (page.next) {
      // The same query from the cursor on: `offset` counted to it.
      const next = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query)) if (value !== undefined && name !== 'offset') next.set(name, String(value));
      next.set('cursor', page.next);
      headers['x-next-cursor'] = page.next;
      headers.link = `<${request.baseUrl}${request.path}?${next.toString()}>; rel="next"`;
    }
    return { status: 200, body, headers };
  });

export const handler = listCustomer(v4, tmf629.listCustomer);
