/**
 * TMF list filters: every query parameter that names a filterable first-level attribute is an
 * equality filter (several parameters combine with AND; a comma-separated value matches any of its
 * values). `offset`, `limit`, `fields` and `cursor` are the list's controls, declared with the
 * filters in its catalog entry (functions/tmf629/operations.ts), which bounds them.
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The equality filters of a list's query: each filterable attribute it names, with its comma-separated values. */
export const filtersOf = (query: Record<string, unknown>, filterable: readonly string[]): Record<string, string[]> =>
  Object.fromEntries(filterable.flatMap((name) => (typeof query[name] === 'string' ? [[name, query[name].split(',')]] : [])));

/** Does a resource satisfy every filter? */
export const matchesFilters = (resource: Record<string, unknown>, filters: Record<string, string[]>): boolean =>
  Object.entries(filters).every(([name, values]) => values.includes(String(resource[name] ?? '')));
