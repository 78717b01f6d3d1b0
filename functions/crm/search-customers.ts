import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { mayReach, shownToCaller } from '../http/access.ts';
import { customerFields } from '../http/custom-values.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { groupsWith } from '../domain/access.ts';
import {
  QueryProblem,
  resolveFilter,
  resolveQ,
  resolveSort,
  searchFieldsOf,
  type Condition,
  type SearchFields,
  type SearchScalar,
} from '../domain/search-model.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import { searchCustomers } from '../storage/search/customer-search.ts';
import { decodeValueCursor, encodeValueCursor, InvalidCursor } from '../storage/table/list-cursor.ts';
import { toCrmCustomer } from './customer-view.ts';
import { crm } from './operations.ts';

/** The fields a caller may search: the tenant's, without those in field groups their roles hide (they are unknown to them, as in every view). */
const callerSearchFields = (fields: SearchFields, hidden: readonly string[]): SearchFields =>
  new Map([...fields].filter(([, field]) => field.group === undefined || !hidden.includes(field.group)));

const isPosition = (value: unknown, keys: number): value is (SearchScalar | null)[] =>
  Array.isArray(value) &&
  value.length === keys + 1 &&
  typeof value[keys] === 'string' &&
  value.every((v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');

/**
 * POST /api/v1/crm/customers/search — the query model of README "Search", answered from the search
 * projection (PostgreSQL): the page's ids in order from SQL, the customers themselves from DynamoDB
 * (one batch read, the source of truth), shown as the CRM shows them to this caller. What the
 * caller's roles do not reach is neither listed nor counted nor faceted; a field they may not read
 * is not a field they can search.
 */
export const handler = defineHandler(crm.searchCrmCustomers, async (request) => {
  const body = request.body;
  const tenantId = request.caller.tenantId;
  const definitions = await customerFields(request);
  const fields = callerSearchFields(searchFieldsOf([...definitions.values()]), groupsWith(request.caller.access, 'read'));
  const now = Date.now();
  let filter: Condition | undefined;
  let sort: ReturnType<typeof resolveSort>;
  try {
    const conditions = [
      ...(body.filter === undefined ? [] : [resolveFilter(body.filter, fields, now)]),
      ...(body.q === undefined ? [] : [resolveQ(body.q, fields)]),
    ];
    filter = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { kind: 'and', of: conditions };
    sort = resolveSort(body.sort, fields);
    for (const [i, facet] of (body.facets ?? []).entries()) {
      const field = fields.get(facet);
      if (!field && !facet.startsWith('characteristic.')) throw new QueryProblem(`facets[${i}]`, 'is not a field you can search');
      if (field && field.type !== 'keyword' && field.type !== 'keywords' && field.type !== 'boolean')
        throw new QueryProblem(`facets[${i}]`, 'facets count the values of keyword fields (status, owner, tags, enums…)');
    }
  } catch (error) {
    if (error instanceof QueryProblem) throw badRequest(error.message);
    throw error;
  }
  // A cursor belongs to its query: the same filter, sort and caller's tenant (relative dates resolved when it was given out would move: the filter as written is what it is bound to).
  const list = `search\n${tenantId}\n${canonicalJson({ filter: body.filter ?? null, q: body.q ?? null, sort })}`;
  let after: (SearchScalar | null)[] | undefined;
  if (body.cursor !== undefined) {
    const position = decodeValueCursor(body.cursor, list);
    if (!isPosition(position, sort.length)) throw new InvalidCursor();
    after = position;
  }
  const limit = body.limit ?? 50;
  const page = await searchCustomers({
    tenantId,
    fields,
    ...(filter ? { filter } : {}),
    sort,
    limit,
    ...(after ? { after } : {}),
    count: body.count === 'exact',
    facets: body.facets ?? [],
    access: request.caller.access,
  });
  const records = await getCustomers(tenantId, page.ids);
  const results = records
    .filter((record) => record !== undefined && mayReach(request, record, 'read'))
    .map((record) => toCrmCustomer(shownToCaller(request, record!, definitions), definitions))
    .map((view) => (body.fields ? Object.fromEntries(['id', ...body.fields].filter((name) => name in view).map((name) => [name, view[name]])) : view));
  const next = page.next ? encodeValueCursor(list, page.next) : undefined;
  return {
    status: 200,
    body: { results, ...(page.count ? { count: page.count } : {}), ...(page.facets ? { facets: page.facets } : {}), ...(next ? { next } : {}) },
    headers: next ? { 'x-next-cursor': next } : ({} as Record<string, string>),
  };
});
