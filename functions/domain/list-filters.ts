/**
 * TMF list query parsing: `offset`, `limit`, `fields` are controls; every other parameter is an
 * equality filter on a first-level attribute (several parameters combine with AND; a comma-separated
 * value matches any of its values).
 */
export interface ListQuery {
  offset: number;
  limit: number;
  fields: string | undefined;
  /** Where a previous page ended (its X-Next-Cursor); `offset` then counts from there. */
  cursor: string | undefined;
  filters: Record<string, string[]>;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const CONTROLS = new Set(['offset', 'limit', 'fields', 'cursor']);

export class ListQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListQueryError';
  }
}

const nonNegativeInteger = (name: string, value: string | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value)) throw new ListQueryError(`'${name}' must be a non-negative integer`);
  const n = Number(value);
  if (n > max) throw new ListQueryError(`'${name}' must be at most ${max}`);
  return n;
};

export const parseListQuery = (query: Record<string, string>, filterable: readonly string[], maxOffset = Number.MAX_SAFE_INTEGER): ListQuery => {
  const filters: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    if (CONTROLS.has(name)) continue;
    if (!filterable.includes(name)) throw new ListQueryError(`'${name}' is not a filterable attribute (use one of ${filterable.join(', ')})`);
    filters[name] = value.split(',');
  }
  const limit = nonNegativeInteger('limit', query.limit, DEFAULT_LIMIT, MAX_LIMIT);
  if (limit === 0) throw new ListQueryError(`'limit' must be at least 1`);
  const offset = nonNegativeInteger('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
  if (offset > maxOffset)
    throw new ListQueryError(`'offset' must be at most ${maxOffset}; to read further, follow the X-Next-Cursor of a page (the 'cursor' parameter)`);
  return { offset, limit, fields: query.fields, cursor: query.cursor, filters };
};

/** Does a resource satisfy every filter? */
export const matchesFilters = (resource: Record<string, unknown>, filters: Record<string, string[]>): boolean =>
  Object.entries(filters).every(([name, values]) => values.includes(String(resource[name] ?? '')));
