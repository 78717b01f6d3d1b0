/**
 * List limits, and the equality filters DynamoDB's TMF lists check (several attributes combine with
 * AND; a list of values matches any). TMF630's whole syntax is read in domain/tmf630-query.ts.
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Does a resource satisfy every filter? */
export const matchesFilters = (resource: Record<string, unknown>, filters: Record<string, string[]>): boolean =>
  Object.entries(filters).every(([name, values]) => values.includes(String(resource[name] ?? '')));
