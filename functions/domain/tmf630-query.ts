/**
 * TMF630 (REST API Design Guidelines, part 2) filtering and sorting on a TMF629 customer list, read
 * into the search query model (search-model.ts), so both syntaxes are one model:
 *
 * - `attribute=value` is equality; a comma lists values any of which matches (`status=Approved,Pending`);
 * - `attribute.gt=`, `.gte=`, `.lt=`, `.lte=`, `.eq=` compare; `.regex=` matches an anchored RE2 pattern
 *   (its value is one pattern: a comma in it is the pattern's);
 * - every parameter must hold (AND), a repeated one too (`validFor.startDateTime.gte=…&validFor.startDateTime.lt=…`);
 * - `characteristic.<name>` filters on a characteristic's value, with the same operators;
 * - `sort=name,-validFor.startDateTime`: at most three attributes, `-` for descending (the id breaks ties).
 *
 * Nothing here reads the table or the projection.
 */
import type { RE2JS } from 're2js';
import {
  allOf,
  CHARACTERISTIC_PREFIX,
  QueryProblem,
  resolveFilter,
  resolveSort,
  SEARCH_LIMITS,
  type Condition,
  type Filter,
  type SearchFields,
  type SortKey,
} from './search-model.ts';

/** TMF629 attributes a list filters and sorts on, and the search field each is. */
export const TMF_FILTER_ATTRIBUTES: Readonly<Record<string, string>> = {
  id: 'id',
  name: 'name',
  status: 'status',
  statusReason: 'statusReason',
  '@type': '@type',
  '@baseType': '@baseType',
  '@schemaLocation': '@schemaLocation',
  'engagedParty.id': 'engagedPartyId',
  'validFor.startDateTime': 'validFor.startDateTime',
  'validFor.endDateTime': 'validFor.endDateTime',
};

/** TMF630's operators, as the model names them. */
export const TMF_OPERATORS = { eq: 'eq', gt: 'gt', gte: 'ge', lt: 'lt', lte: 'le', regex: 'regex' } as const;

/** The furthest `offset` a list takes (the projection walks the rows it skips: a cursor costs the same at any depth). */
export const MAX_TMF_OFFSET = 1_000_000_000;

/** A list's parameters that are not filters. */
export const TMF_LIST_CONTROLS: readonly string[] = ['fields', 'offset', 'limit', 'cursor', 'sort'];

export interface TmfListQuery {
  /** The filters, every parameter's condition under one AND; undefined without any. */
  filter?: Condition;
  /** The sort asked for; undefined without `sort` (by name). */
  sort?: SortKey[];
  /**
   * When the query is only equalities on attributes (no operator, no characteristic, no sort): each
   * attribute's values, for the lists DynamoDB answers itself.
   */
  equalities?: Record<string, string[]>;
  /** The filters and sort as written, in a stable order: what a cursor is bound to. */
  canonical: string;
}

/** The search field a filter's attribute is, if it is one. */
const fieldOf = (attribute: string): string | undefined =>
  Object.hasOwn(TMF_FILTER_ATTRIBUTES, attribute)
    ? TMF_FILTER_ATTRIBUTES[attribute]
    : attribute.startsWith(CHARACTERISTIC_PREFIX) && attribute.length > CHARACTERISTIC_PREFIX.length
      ? attribute
      : undefined;

/** A parameter's name as attribute and operator: `name.regex` → name, regex; `status` → status, equality. */
const splitParameter = (parameter: string): { attribute: string; operator: keyof typeof TMF_OPERATORS | undefined } => {
  const dot = parameter.lastIndexOf('.');
  const suffix = dot === -1 ? '' : parameter.slice(dot + 1);
  if (dot !== -1 && Object.hasOwn(TMF_OPERATORS, suffix) && fieldOf(parameter.slice(0, dot)) !== undefined)
    return { attribute: parameter.slice(0, dot), operator: suffix as keyof typeof TMF_OPERATORS };
  return { attribute: parameter, operator: undefined };
};

/** A problem the model found under a parameter, said as that parameter's. */
const underParameter = (parameter: string, resolve: () => Condition): Condition => {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof QueryProblem) throw new QueryProblem(parameter, error.message.slice(error.path.length + 2));
    throw error;
  }
};

/**
 * A list's query parameters (every occurrence, in order: `URLSearchParams` of the raw query) read
 * as TMF630 against the fields the caller may search. Unknown parameters, operators a field does
 * not take, bad values and anything over the model's budgets are QueryProblems naming the parameter.
 */
export const readTmfQuery = (parameters: readonly (readonly [string, string])[], fields: SearchFields, now: number, re2?: typeof RE2JS): TmfListQuery => {
  const conditions: Condition[] = [];
  const equalities: Record<string, string[]> = {};
  let onlyEqualities = true;
  let predicates = 0;
  let sort: SortKey[] | undefined;
  const written: [string, string][] = [];
  for (const [parameter, value] of parameters) {
    if (parameter === 'sort') {
      if (sort) throw new QueryProblem('sort', 'give sort once, its attributes separated by commas');
      written.push([parameter, value]);
      const keys = value.split(',').map((key) => {
        const descending = key.startsWith('-');
        const attribute = descending || key.startsWith('+') ? key.slice(1) : key;
        const field = fieldOf(attribute);
        if (!field)
          throw new QueryProblem(
            'sort',
            `${JSON.stringify(attribute).slice(0, 80)} is not an attribute to sort by (${Object.keys(TMF_FILTER_ATTRIBUTES).join(', ')}, characteristic.<name>)`,
          );
        return { field, order: descending ? 'desc' : 'asc' };
      });
      try {
        sort = resolveSort(keys, fields);
      } catch (error) {
        if (error instanceof QueryProblem) throw new QueryProblem('sort', error.message.slice(error.path.length + 2));
        throw error;
      }
      onlyEqualities = false;
      continue;
    }
    if (TMF_LIST_CONTROLS.includes(parameter)) continue;
    written.push([parameter, value]);
    const { attribute, operator } = splitParameter(parameter);
    const field = fieldOf(attribute);
    if (!field)
      throw new QueryProblem(
        'query',
        `query has unknown parameter '${parameter.slice(0, 80)}': filter on ${Object.keys(TMF_FILTER_ATTRIBUTES).join(', ')} or characteristic.<name>, with .eq, .gt, .gte, .lt, .lte or .regex`,
      );
    // A pattern is one value, commas and all; any other value is a comma list.
    const values = operator === 'regex' ? [value] : value.split(',');
    if (values.length > SEARCH_LIMITS.values) throw new QueryProblem(parameter, `takes at most ${SEARCH_LIMITS.values} values`);
    predicates += values.length;
    if (predicates > SEARCH_LIMITS.predicates) throw new QueryProblem(parameter, `a list's filters hold at most ${SEARCH_LIMITS.predicates} values in all`);
    const op = operator === undefined ? 'eq' : TMF_OPERATORS[operator];
    const node: Filter =
      op === 'eq'
        ? values.length === 1
          ? { field, op: 'eq', value: values[0] }
          : { field, op: 'in', value: values }
        : values.length === 1
          ? { field, op, value: values[0] }
          : { or: values.map((v) => ({ field, op, value: v })) };
    conditions.push(underParameter(parameter, () => resolveFilter(node, fields, now, parameter, re2)));
    if (operator !== undefined && operator !== 'eq') onlyEqualities = false;
    else if (!Object.hasOwn(TMF_FILTER_ATTRIBUTES, attribute)) onlyEqualities = false;
    else equalities[attribute] = [...(equalities[attribute] ?? []), ...values];
  }
  // Repeated equalities on one attribute must all hold: DynamoDB's lists read a comma list as "any of", so they leave those to the projection.
  const repeated = new Set(written.filter(([p]) => p !== 'sort').map(([p]) => p)).size !== written.filter(([p]) => p !== 'sort').length;
  const filter = allOf(conditions);
  return {
    ...(filter ? { filter } : {}),
    ...(sort ? { sort } : {}),
    ...(onlyEqualities && !repeated ? { equalities } : {}),
    canonical: JSON.stringify(written.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))),
  };
};
