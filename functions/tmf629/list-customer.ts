import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { INDEXED_FILTERS, listTmfCustomers, listVisibleTmfCustomers, MAX_IDS, MAX_OFFSET } from '../storage/customers/customer-lists.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import { searchCustomers } from '../storage/search/customer-search.ts';
import { decodeValueCursor, encodeValueCursor, InvalidCursor } from '../storage/table/list-cursor.ts';
import { mayReach, shownToCaller, visibilityOf } from '../http/access.ts';
import { loadRegexEngine } from '../domain/custom-fields.ts';
import { isSearchPosition, QueryProblem, resolveSort, searchFieldsOf } from '../domain/search-model.ts';
import { readTmfQuery, type TmfListQuery } from '../domain/tmf630-query.ts';
import type { TmfGeneration } from '../domain/tmf629/generation.ts';
import { v4 } from '../domain/tmf629/generations.ts';
import { customerAnswer, selectedFields, storedAttributesFor } from './customer-view.ts';
import { tmf629, type TmfCustomerOperations } from './operations.ts';
import { customerFields } from '../http/custom-values.ts';

/**
 * Does DynamoDB's own list answer this query in full pages? No filter, an `id` list or one `name`
 * (each narrows the name index to its keys), equalities on the attributes the index carries beside
 * them, by name,
 * at an offset of at most MAX_OFFSET. It is strongly consistent: what CTK-style clients create
 * they find at once.
 */
const tableAnswers = (query: TmfListQuery, offset: number): query is TmfListQuery & { equalities: Record<string, string[]> } => {
  if (query.equalities === undefined || query.sort !== undefined || offset > MAX_OFFSET) return false;
  const { equalities } = query;
  if (!Object.keys(equalities).every((name) => INDEXED_FILTERS.includes(name))) return false;
  return Object.keys(equalities).length === 0 || equalities.id !== undefined || equalities.name?.length === 1;
};

/** What a TMF list filters and sorts on: built-in fields and characteristics only (no custom field is a TMF630 attribute), whatever the tenant's fields. */
const TMF_SEARCH_FIELDS = searchFieldsOf([]);

/** A query problem as the 400 says it: the parameter, then what is wrong with it. */
const queryProblem = (problem: QueryProblem): string =>
  problem.path === 'query' ? problem.message.slice('query: '.length) : `Query parameter ${problem.message}`;

/**
 * GET /customer in any generation. TMF630 filters and sort (domain/tmf630-query.ts) over every
 * customer the caller reaches, in full pages, with X-Result-Count, X-Total-Count (exact up to
 * 100,000 matches) and, while there is more, X-Next-Cursor and a `Link` (rel="next").
 *
 * A query DynamoDB's name index answers whole (`tableAnswers`) is read from the table; every other
 * — an operator, a characteristic, a sort, other attributes alone, an offset past 2,000 — from the
 * search projection (PostgreSQL), whose ids are then read from the table, the source of truth.
 */
export const listCustomer = (generation: TmfGeneration, operation: TmfCustomerOperations['listCustomer']) =>
  defineHandler(operation, async (request) => {
    const { offset, limit, cursor } = request.query;
    const tenantId = request.caller.tenantId;
    const fields = selectedFields(generation, request.query.fields);
    const pairs = [...new URLSearchParams(request.rawQuery)];
    const re2 = pairs.some(([name]) => name.endsWith('.regex')) ? await loadRegexEngine() : undefined;
    let query: TmfListQuery;
    try {
      query = readTmfQuery(pairs, TMF_SEARCH_FIELDS, Date.now(), re2);
    } catch (error) {
      if (error instanceof QueryProblem) throw badRequest(queryProblem(error));
      throw error;
    }
    if ((query.equalities?.id?.length ?? 0) > MAX_IDS) throw badRequest(`'id' takes at most ${MAX_IDS} values`);
    // A cursor the projection gave out continues on the projection.
    const list = `tmf630\n${tenantId}\n${query.canonical}`;
    let after: ReturnType<typeof decodeValueCursor> | undefined;
    if (cursor !== undefined) {
      try {
        after = decodeValueCursor(cursor, list);
      } catch (error) {
        if (!(error instanceof InvalidCursor)) throw error;
      }
    }
    const fromTable = after === undefined && tableAnswers(query, offset);
    if (cursor !== undefined && after === undefined && !fromTable) throw new InvalidCursor();
    const headers: Record<string, string> = {};
    let body: unknown[];
    let next: string | undefined;
    if (fromTable) {
      const filters = query.equalities!;
      const asked = { filters, offset, limit, ...(cursor === undefined ? {} : { cursor }) };
      // A caller whose roles reach less than the tenant lists what they reach (and gets no total, which would say more).
      const [page, custom] = await Promise.all([
        request.caller.access.read.tenant
          ? listTmfCustomers(tenantId, { ...asked, attributes: storedAttributesFor(generation, fields) })
          : listVisibleTmfCustomers(tenantId, visibilityOf(request), asked, (record) => mayReach(request, record, 'read')),
        customerFields(request),
      ]);
      body = page.items.map((record) => customerAnswer(generation, shownToCaller(request, record, custom), request.baseUrl, fields, custom));
      if (page.total !== undefined) headers['x-total-count'] = String(page.total);
      next = page.next;
    } else {
      const sort = query.sort ?? resolveSort(undefined, TMF_SEARCH_FIELDS);
      if (after !== undefined && !isSearchPosition(after, sort.length)) throw new InvalidCursor();
      const page = await searchCustomers({
        tenantId,
        fields: TMF_SEARCH_FIELDS,
        ...(query.filter ? { filter: query.filter } : {}),
        sort,
        limit,
        ...(after ? { after } : {}),
        ...(offset > 0 ? { offset } : {}),
        count: true,
        facets: [],
        access: request.caller.access,
      }).catch((error: unknown) => {
        if (error instanceof QueryProblem) throw badRequest(queryProblem(error));
        throw error;
      });
      const [records, custom] = await Promise.all([getCustomers(tenantId, page.ids), customerFields(request)]);
      body = records
        .filter((record) => record !== undefined && mayReach(request, record, 'read'))
        .map((record) => customerAnswer(generation, shownToCaller(request, record!, custom), request.baseUrl, fields, custom));
      if (page.count?.relation === 'eq') headers['x-total-count'] = String(page.count.value);
      next = page.next ? encodeValueCursor(list, page.next) : undefined;
    }
    headers['x-result-count'] = String(body.length);
    if (next) {
      // The same query from the cursor on: `offset` counted to it.
      const link = new URLSearchParams(pairs.filter(([name]) => name !== 'offset' && name !== 'cursor'));
      link.set('cursor', next);
      headers['x-next-cursor'] = next;
      headers.link = `<${request.baseUrl}${request.path}?${link.toString()}>; rel="next"`;
    }
    return { status: 200, body, headers };
  });

export const handler = listCustomer(v4, tmf629.listCustomer);
