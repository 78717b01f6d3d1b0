/**
 * The reference evaluator of the search query model (functions/domain/search-model.ts), written
 * from the model alone over search documents in memory: which documents a condition matches, in
 * which order a sort puts them, what a page after a position holds, the count and the facets. The
 * differential test holds the SQL engine to it.
 */
import { RE2JS } from 're2js';
import type { AccessDecision } from '../../functions/domain/access.ts';
import {
  typosAllowed,
  compareStrings,
  SEARCH_LIMITS,
  type Condition,
  type SearchDocument,
  type SearchScalar,
  type SearchValue,
  type SortKey,
} from '../../functions/domain/search-model.ts';

/** Edits between two strings, by code point (what PostgreSQL's levenshtein counts). */
const levenshtein = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
};

const heldBy = (doc: SearchDocument, field: string): SearchValue | undefined => doc.values[field];

const compareScalars = (a: SearchScalar, b: SearchScalar): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : typeof a === 'boolean' && typeof b === 'boolean'
      ? Number(a) - Number(b)
      : compareStrings(String(a), String(b));

const equals = (held: SearchValue | undefined, value: SearchScalar): boolean =>
  Array.isArray(held) ? held.some((element) => element === value) : held !== undefined && held !== null && held === value;

export const matches = (doc: SearchDocument, condition: Condition): boolean => {
  switch (condition.kind) {
    case 'and':
      return condition.of.every((c) => matches(doc, c));
    case 'or':
      return condition.of.some((c) => matches(doc, c));
    case 'not':
      return !matches(doc, condition.of);
    case 'compare': {
      const held = heldBy(doc, condition.field);
      if (condition.op === 'eq') return equals(held, condition.value);
      if (condition.op === 'ne') return !equals(held, condition.value);
      if (held === undefined || held === null || Array.isArray(held)) return false;
      const order = compareScalars(held, condition.value);
      return { gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[condition.op];
    }
    case 'in': {
      const any = condition.values.some((value) => equals(heldBy(doc, condition.field), value));
      return condition.negated ? !any : any;
    }
    case 'exists': {
      const present = heldBy(doc, condition.field) !== undefined;
      return condition.negated ? !present : present;
    }
    case 'text': {
      const held = heldBy(doc, condition.field);
      const test = (text: SearchScalar) => (condition.op === 'startsWith' ? String(text).startsWith(condition.value) : String(text).includes(condition.value));
      return Array.isArray(held) ? held.some(test) : held !== undefined && held !== null && test(held);
    }
    case 'regex': {
      const held = heldBy(doc, condition.field);
      const re = RE2JS.compile(condition.pattern, RE2JS.DOTALL);
      const test = (text: SearchScalar) => re.matcher(String(text)).find();
      return Array.isArray(held) ? held.some(test) : held !== undefined && held !== null && test(held);
    }
    case 'array': {
      const held = heldBy(doc, condition.field);
      const list = Array.isArray(held) ? held : [];
      return condition.op === 'containsAll' ? condition.values.every((v) => list.includes(v)) : condition.values.some((v) => list.includes(v));
    }
    case 'q': {
      const words = condition.fields.flatMap((field) => doc.words[field] ?? []);
      return condition.words.every((word) => words.some((token) => token.startsWith(word) || levenshtein(token, word) <= typosAllowed(word)));
    }
  }
};

export const reaches = (doc: SearchDocument, access: AccessDecision | undefined): boolean => {
  if (!access || access.read.tenant) return true;
  if (access.read.own && doc.values.ownerId === access.user) return true;
  if (typeof doc.values.teamId === 'string' && access.read.teams.includes(doc.values.teamId)) return true;
  return access.read.shared && doc.sharedWith.some((grantee) => access.grantees.includes(grantee));
};

const scalarAt = (doc: SearchDocument, field: string): SearchScalar | null => {
  const held = heldBy(doc, field);
  return held === undefined || held === null || Array.isArray(held) ? null : held;
};

/** The order of two documents under the sort, the id last. */
export const compareDocs =
  (sort: readonly SortKey[]) =>
  (a: SearchDocument, b: SearchDocument): number =>
    comparePositions(sort, positionOf(sort, a), positionOf(sort, b));

export const positionOf = (sort: readonly SortKey[], doc: SearchDocument): (SearchScalar | null)[] => [...sort.map((key) => scalarAt(doc, key.field)), doc.id];

export const comparePositions = (sort: readonly SortKey[], a: readonly (SearchScalar | null)[], b: readonly (SearchScalar | null)[]): number => {
  for (const [i, key] of sort.entries()) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null && y === null) continue;
    if (x === null || y === null) return (x === null) === (key.nulls === 'first') ? -1 : 1;
    const order = compareScalars(x, y) * (key.order === 'asc' ? 1 : -1);
    if (order !== 0) return Math.sign(order);
  }
  return compareStrings(String(a[sort.length]), String(b[sort.length]));
};

export interface OracleQuery {
  tenantId: string;
  filter?: Condition;
  sort: SortKey[];
  limit: number;
  after?: (SearchScalar | null)[];
  offset?: number;
  facets: string[];
  access?: AccessDecision;
}

export const evaluate = (docs: readonly SearchDocument[], query: OracleQuery) => {
  const matched = docs.filter((doc) => doc.tenantId === query.tenantId && reaches(doc, query.access) && (!query.filter || matches(doc, query.filter)));
  const sorted = [...matched].sort(compareDocs(query.sort));
  const after = query.after;
  const rest = after ? sorted.filter((doc) => comparePositions(query.sort, positionOf(query.sort, doc), after) > 0) : sorted;
  const skipped = rest.slice(query.offset ?? 0);
  const page = skipped.slice(0, query.limit);
  const count = matched.length > SEARCH_LIMITS.exactCount ? { value: SEARCH_LIMITS.exactCount, relation: 'gte' } : { value: matched.length, relation: 'eq' };
  const facets = Object.fromEntries(
    query.facets.map((facet) => {
      const counts = new Map<string, number>();
      for (const doc of matched) {
        const held = heldBy(doc, facet);
        for (const value of Array.isArray(held) ? held : held === undefined || held === null ? [] : [held])
          counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
      }
      const buckets = [...counts]
        .map(([value, n]) => ({ value, count: n }))
        .sort((a, b) => b.count - a.count || compareStrings(a.value, b.value))
        .slice(0, SEARCH_LIMITS.buckets);
      return [facet, buckets];
    }),
  );
  return { ids: page.map((doc) => doc.id), more: skipped.length > query.limit, last: page.at(-1), count, facets };
};
