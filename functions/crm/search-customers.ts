import { defineHandler } from '../http/kernel.ts';
import { badRequest } from '../http/errors.ts';
import { mayReach, shownToCaller } from '../http/access.ts';
import { customerFields } from '../http/custom-values.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { groupsWith } from '../domain/access.ts';
import { selectFields } from '../domain/field-selection.ts';
import {
  QueryProblem,
  resolveSort,
  searchCondition,
  searchFieldOf,
  searchFieldsOf,
  searchableBy,
  isSearchPosition,
  type Condition,
  type SearchScalar,
} from '../domain/search-model.ts';
import { getCustomers } from '../storage/customers/customers.ts';
import { searchCustomers } from '../storage/search/customer-search.ts';
import { decodeValueCursor, encodeValueCursor, InvalidCursor } from '../storage/table/list-cursor.ts';
import { toCrmCustomer } from './customer-view.ts';
import { customerPageResponse, readableList } from './customer-lists.ts';
import { customerLists } from '../storage/customers/customer-lists.ts';
import { CRM_STATUSES, isCrmStatus } from '../domain/crm-status.ts';
import { crm } from './operations.ts';

/**
 * What DynamoDB's own lists answer with strong consistency (the table, not the projection): a name
 * prefix (`name startsWith`), an owner (`ownerId eq`), a CRM status (`crmStatus eq`), alone or
 * together under `and`, by name; anything else is a 400 saying what can be asked so.
 */
const strongList = (body: { filter?: unknown; q?: unknown; count?: string; facets?: unknown[]; sort?: unknown[] }) => {
  const refuse = (what: string) =>
    badRequest(
      `consistency: strong answers a name prefix, an owner and a CRM status (name startsWith, ownerId eq, crmStatus eq, under and), by name; ${what}.`,
    );
  if (body.q !== undefined) throw refuse('q needs the projection');
  if (body.count === 'exact' || (body.facets?.length ?? 0) > 0) throw refuse('counts and facets need the projection');
  if (
    body.sort !== undefined &&
    canonicalJson(body.sort) !== canonicalJson([{ field: 'name' }]) &&
    canonicalJson(body.sort) !== canonicalJson([{ field: 'name', order: 'asc' }])
  )
    throw refuse('it sorts by name only');
  const given =
    body.filter === undefined
      ? []
      : typeof body.filter === 'object' && body.filter !== null && 'and' in body.filter
        ? (body.filter as { and: unknown[] }).and
        : [body.filter];
  const asked: { prefix?: string; ownerId?: string; crmStatus?: string } = {};
  for (const predicate of given) {
    const { field, op, value } = (predicate ?? {}) as { field?: unknown; op?: unknown; value?: unknown };
    const slot =
      field === 'name' && op === 'startsWith'
        ? 'prefix'
        : field === 'ownerId' && op === 'eq'
          ? 'ownerId'
          : field === 'crmStatus' && op === 'eq'
            ? 'crmStatus'
            : undefined;
    if (!slot || typeof value !== 'string' || value === '' || asked[slot] !== undefined)
      throw refuse(`${JSON.stringify(predicate).slice(0, 120)} is not one of those`);
    asked[slot] = value;
  }
  return asked;
};

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
  if (body.consistency === 'strong') {
    const { prefix, ownerId, crmStatus } = strongList(body);
    if (crmStatus !== undefined && !isCrmStatus(crmStatus)) throw badRequest(`Unknown crmStatus '${crmStatus}'; use one of ${CRM_STATUSES.join(', ')}.`);
    const page = { limit: body.limit ?? 50, ...(body.cursor ? { cursor: body.cursor } : {}) };
    const asked = () =>
      ownerId !== undefined
        ? customerLists.byOwner(tenantId, ownerId, { prefix, crmStatus }, page)
        : crmStatus !== undefined
          ? customerLists.byStatus(tenantId, crmStatus, { prefix }, page)
          : customerLists.all(tenantId, { prefix }, page);
    const answer = await customerPageResponse(request, readableList(request, asked, { prefix, ownerId, crmStatus }, page));
    const next = answer.headers?.['x-next-cursor'];
    const results = (answer.body as Record<string, unknown>[]).map((view) => selectFields(view, body.fields, ['id']));
    return { status: 200, body: { results, ...(next ? { next } : {}), consistency: 'strong' }, headers: answer.headers ?? {} };
  }
  const definitions = await customerFields(request);
  const fields = searchableBy(searchFieldsOf([...definitions.values()]), groupsWith(request.caller.access, 'read'));
  let filter: Condition | undefined;
  let sort: ReturnType<typeof resolveSort>;
  try {
    filter = await searchCondition(body, fields, Date.now());
    sort = resolveSort(body.sort, fields);
    for (const [i, facet] of (body.facets ?? []).entries()) {
      const field = searchFieldOf(fields, facet);
      if (!field) throw new QueryProblem(`facets[${i}]`, 'is not a field you can search');
      if (field.type !== 'keyword' && field.type !== 'keywords' && field.type !== 'boolean')
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
    if (!isSearchPosition(position, sort.length)) throw new InvalidCursor();
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
    .map((view) => selectFields(view, body.fields, ['id']));
  const next = page.next ? encodeValueCursor(list, page.next) : undefined;
  return {
    status: 200,
    body: { results, ...(page.count ? { count: page.count } : {}), ...(page.facets ? { facets: page.facets } : {}), ...(next ? { next } : {}) },
    headers: next ? { 'x-next-cursor': next } : ({} as Record<string, string>),
  };
});
