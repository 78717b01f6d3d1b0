/**
 * Search (issue 26), as data: the fields a customer can be found by, the document a customer is
 * searched as, and the query model — a filter tree of predicates, sort keys, paging, counts and
 * facets — with its budgets. The PostgreSQL projection (storage/search/) answers queries in this
 * model; the differential test's reference evaluator answers them over the same documents.
 *
 * Text is compared folded (lower case, accents taken off: `fold`), the same in every engine, so a
 * search for "zoe" finds "Zoë" whatever the database's collation; keywords (statuses, ids, tags,
 * enum options) exactly. Strings sort by their folded UTF-8 bytes, then by id.
 *
 * Nothing here reads the table.
 */
import type { RE2JS } from 're2js';
import { loadRegexEngine, type FieldDefinition } from './custom-fields.ts';
import type { FieldGroup } from './access.ts';

/** What a field holds, which decides its operators. */
export type SearchType = 'text' | 'keyword' | 'keywords' | 'number' | 'timestamp' | 'boolean';

export interface SearchField {
  type: SearchType;
  /** The field group whose read access it needs (access rules: a caller who may not read it cannot filter, sort or facet on it). */
  group?: FieldGroup;
  /** Free text a `q` search looks in. */
  fullText?: boolean;
  /** Keywords compared folded (e-mail addresses, cities): `Ann@Example.com` is `ann@example.com`. */
  folded?: boolean;
}

/** The built-in fields of a customer, as the CRM and TMF629 name them. */
export const BUILT_IN_SEARCH_FIELDS: Readonly<Record<string, SearchField>> = {
  id: { type: 'keyword' },
  name: { type: 'text', fullText: true },
  status: { type: 'keyword' },
  crmStatus: { type: 'keyword' },
  ownerId: { type: 'keyword' },
  teamId: { type: 'keyword' },
  tags: { type: 'keywords' },
  nextAction: { type: 'text' },
  nextActionDueDate: { type: 'timestamp' },
  created: { type: 'timestamp' },
  updated: { type: 'timestamp' },
  type: { type: 'keyword' },
  engagedPartyId: { type: 'keyword' },
  // TMF629's own attributes, for TMF630 filters on every generation's list.
  statusReason: { type: 'keyword' },
  '@type': { type: 'keyword' },
  '@baseType': { type: 'keyword' },
  '@schemaLocation': { type: 'keyword' },
  'validFor.startDateTime': { type: 'timestamp' },
  'validFor.endDateTime': { type: 'timestamp' },
  email: { type: 'keywords', group: 'emails', fullText: true, folded: true },
  phone: { type: 'keywords', group: 'phones', fullText: true },
  city: { type: 'keywords', group: 'addresses', folded: true },
  country: { type: 'keywords', group: 'addresses' },
  postCode: { type: 'keywords', group: 'addresses' },
};

/** Is a field's text compared folded? Text always; keywords where the field says. */
const isFolded = (field: SearchField): boolean => field.type === 'text' || field.folded === true;

/** Lower case with accents taken off (NFKD, combining marks removed): how text is compared. */
export const fold = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** A custom field's place in search, from its definition; undefined when it is not searchable. */
export const customSearchField = (definition: FieldDefinition): SearchField | undefined => {
  if (!definition.searchable || definition.archived) return undefined;
  const group: FieldGroup | undefined = definition.sensitive ? 'sensitive' : undefined;
  const base = { ...(group ? { group } : {}) };
  switch (definition.type) {
    case 'string':
    case 'text':
      return { type: 'text', fullText: !definition.sensitive, ...base };
    case 'email':
    case 'url':
    case 'phone':
    case 'enum':
    case 'customerReference':
    case 'date':
      return { type: 'keyword', ...base };
    case 'multiEnum':
      return { type: 'keywords', ...base };
    case 'integer':
    case 'decimal':
      return { type: 'number', ...base };
    case 'money':
      return { type: 'number', ...base };
    case 'datetime':
      return { type: 'timestamp', ...base };
    case 'boolean':
      return { type: 'boolean', ...base };
  }
};

/** The fields a query may name: the built-in ones, `customFields.<key>` of searchable custom fields, `characteristic.<name>` (keyword). */
export type SearchFields = ReadonlyMap<string, SearchField>;

export const CHARACTERISTIC_PREFIX = 'characteristic.';
export const CUSTOM_PREFIX = 'customFields.';

/** Can PostgreSQL hold this text (a query's value, a field's name)? Not with U+0000 or an unpaired surrogate. */
export const isStorableText = (text: string): boolean => text.isWellFormed() && !text.includes('\u0000');
/** Text as the projection holds it: U+0000 dropped, unpaired surrogates as U+FFFD (a customer's value is never refused by search). */
const storable = (text: string): string => (isStorableText(text) ? text : text.replaceAll('\u0000', '').toWellFormed());

/** The field a name stands for, if any. */
export const searchFieldOf = (fields: SearchFields, name: string): SearchField | undefined =>
  fields.get(name) ??
  (name.startsWith(CHARACTERISTIC_PREFIX) && name.length > CHARACTERISTIC_PREFIX.length && name.length <= 200 && isStorableText(name)
    ? { type: 'keyword' }
    : undefined);

/** The searchable fields of a tenant: the built-in ones and its searchable custom fields. */
export const searchFieldsOf = (definitions: readonly FieldDefinition[]): SearchFields => {
  const fields = new Map(Object.entries(BUILT_IN_SEARCH_FIELDS));
  for (const definition of definitions) {
    const field = customSearchField(definition);
    if (field) fields.set(`${CUSTOM_PREFIX}${definition.key}`, field);
  }
  return fields;
};

/** The fields a caller may search: the tenant's, without those in the field groups their roles hide (unknown to them, as in every view). */
export const searchableBy = (fields: SearchFields, hidden: readonly FieldGroup[]): SearchFields =>
  new Map([...fields].filter(([, field]) => field.group === undefined || !hidden.includes(field.group)));

// --- The document ----------------------------------------------------------------------------------

/** A scalar as search holds it: text, a number, an instant (ISO 8601, UTC, milliseconds), a boolean. */
export type SearchScalar = string | number | boolean;
export type SearchValue = SearchScalar | SearchScalar[] | null;

/** A customer as search sees it: a value per field (folded where the field is), and who it is shared with. */
export interface SearchDocument {
  tenantId: string;
  id: string;
  values: Record<string, SearchValue>;
  /** The words of its full-text fields (name, e-mails, phones, text custom fields), per field, for `q`. */
  words: Record<string, string[]>;
  /** Grantees of its read shares (`user:…`, `team:…`), for callers who reach customers by share. */
  sharedWith: string[];
}

/** An instant as search compares it: ISO 8601 in UTC with milliseconds; undefined when it is not a date. */
export const instantOf = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};

/** A field's value as search holds it: folded text, numbers, instants; arrays without duplicates, sorted. */
export const searchValueOf = (field: SearchField, raw: unknown): SearchValue => {
  const scalar = (value: unknown): SearchScalar | undefined => {
    if (value === null || value === undefined) return undefined;
    switch (field.type) {
      case 'text':
      case 'keyword':
      case 'keywords': {
        const text = typeof value === 'string' ? storable(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
        return text !== undefined && isFolded(field) ? fold(text) : text;
      }
      case 'number': {
        const amount = typeof value === 'object' && value !== null && 'amount' in value ? (value as { amount: unknown }).amount : value;
        const number = typeof amount === 'number' ? amount : typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : Number.NaN;
        return Number.isFinite(number) ? number : undefined;
      }
      case 'timestamp':
        return instantOf(value);
      case 'boolean':
        return typeof value === 'boolean' ? value : undefined;
    }
  };
  if (field.type === 'keywords') {
    const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(scalar).filter((v): v is SearchScalar => v !== undefined);
    return [...new Set(values.map(String))].sort(compareStrings);
  }
  if (Array.isArray(raw)) return null;
  return scalar(raw) ?? null;
};

/** Strings in the order search sorts them: by UTF-8 bytes (PostgreSQL's "C" collation). */
export const compareStrings = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

// --- The query -------------------------------------------------------------------------------------

export const SEARCH_LIMITS = {
  depth: 4,
  predicates: 100,
  values: 100,
  sortKeys: 3,
  limit: 200,
  facets: 5,
  buckets: 20,
  /** Counted exactly up to this; past it `{ value: 100000, relation: 'gte' }`. */
  exactCount: 100_000,
  /** Characters of a string value, of `q`, of a pattern. */
  valueLength: 256,
  /** Characters of a value compared for equality (eq, ne, in, nin): longer than any stored key can be, so a long id or name simply matches nothing. */
  equalityLength: 8192,
  containsMin: 3,
  relativeDays: 3660,
} as const;

export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'ge',
  'lt',
  'le',
  'between',
  'exists',
  'missing',
  'startsWith',
  'contains',
  'regex',
  'containsAny',
  'containsAll',
  'isEmpty',
  'today',
  'lastDays',
  'nextDays',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A predicate as a caller writes it. */
export interface Predicate {
  field: string;
  op: Operator;
  value?: unknown;
}
export type Filter = { and: Filter[] } | { or: Filter[] } | { not: Filter } | Predicate;

export interface SortKey {
  field: string;
  order: 'asc' | 'desc';
  nulls: 'first' | 'last';
}

/** A predicate checked and resolved: its field's type, its values as search holds them, relative dates as instants. */
export type Condition =
  | { kind: 'and'; of: Condition[] }
  | { kind: 'or'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'compare'; field: string; type: SearchType; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; value: SearchScalar }
  | { kind: 'in'; field: string; type: SearchType; values: SearchScalar[]; negated: boolean }
  | { kind: 'exists'; field: string; type: SearchType; negated: boolean }
  | { kind: 'text'; field: string; type: SearchType; op: 'startsWith' | 'contains'; value: string }
  | { kind: 'regex'; field: string; type: SearchType; pattern: string }
  | { kind: 'array'; field: string; op: 'containsAny' | 'containsAll'; values: string[] }
  | { kind: 'q'; fields: string[]; words: string[] };

/** Conditions that must all hold, as one: none is no filter, one is itself, more are an `and`. */
export const allOf = (conditions: readonly Condition[]): Condition | undefined =>
  conditions.length <= 1 ? conditions[0] : { kind: 'and', of: [...conditions] };

/** Characters of a word `q` compares (PostgreSQL's levenshtein takes at most 255): longer words are cut there. */
export const WORD_LENGTH = 64;

/** The words of a text: folded, split at anything not a letter or digit, each cut to WORD_LENGTH characters. */
export const wordsIn = (text: string): string[] =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => [...word].slice(0, WORD_LENGTH).join(''));

/** How many edits a `q` word tolerates: none under 4 characters, 1 from 4, 2 from 8. */
export const typosAllowed = (word: string): number => {
  const length = [...word].length;
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
};

/**
 * `q`, full text: every word of it (2 characters or more, at most 10) must begin a word of one of
 * the full-text fields the caller may read, or be within `typosAllowed` edits of one (Levenshtein).
 */
export const resolveQ = (q: unknown, fields: SearchFields): Condition => {
  if (typeof q !== 'string' || q.length > SEARCH_LIMITS.valueLength || !isStorableText(q))
    throw new QueryProblem('q', `must be a string of at most ${SEARCH_LIMITS.valueLength} characters, without U+0000 or unpaired surrogates`);
  const words = [...new Set(wordsIn(q).filter((word) => [...word].length >= 2))].slice(0, 10);
  if (words.length === 0) throw new QueryProblem('q', 'holds no word of 2 characters or more');
  return { kind: 'q', fields: [...fields].filter(([, field]) => field.fullText).map(([name]) => name), words };
};

/** A query problem, reported as a 400 naming where it is (`filter.and[1].value`). */
export class QueryProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'QueryProblem';
  }
}

/**
 * A `regex` pattern, checked: RE2 syntax (npm `re2js`: linear time whatever the pattern), anchored
 * (it begins with `^`), at most 256 characters, and inside the subset on which RE2 and PostgreSQL's
 * regular expressions agree — literals, `.` (any character, newlines too), bracket classes with
 * ranges, `* + ?` and `{n}`, `{n,}`, `{n,m}` (n, m ≤ 255), groups `( )` and `(?: )`, `|`, `^`, `$`,
 * and `\` before punctuation. Letter escapes (`\d`, `\w`, `\b`…), flags, named groups and POSIX
 * classes mean different things in the two engines and are refused. The pattern of a folded field
 * (text: name, next action; e-mail, city) is folded like its values: `^Zoë` finds "zoe…".
 * Returns the pattern to match, or a problem.
 */
export const checkPattern = (raw: string, field: SearchField, re2: typeof RE2JS): { pattern: string } | { problem: string } => {
  if (raw.length > SEARCH_LIMITS.valueLength) return { problem: `a pattern has at most ${SEARCH_LIMITS.valueLength} characters` };
  if (!isStorableText(raw)) return { problem: 'a pattern holds no U+0000 or unpaired surrogates' };
  const pattern = isFolded(field) ? fold(raw) : raw;
  if (!pattern.startsWith('^')) return { problem: 'a pattern is anchored: it begins with ^' };
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined || !/^[!-/:-@[-`{-~]$/.test(next)) return { problem: `escape only punctuation (\\${next ?? ''} is not supported)` };
    } else if (c === '[') {
      if (chars[i + 1] === '^') i++;
      if (chars[i + 1] === ']') return { problem: 'write \\] for a ] inside a class' };
      for (i++; i < chars.length && chars[i] !== ']'; i++) {
        if (chars[i] === '[') return { problem: 'write \\[ for a [ inside a class (POSIX classes are not supported)' };
        if (chars[i] === '\\') {
          const next = chars[++i];
          if (next === undefined || !/^[!-/:-@[-`{-~]$/.test(next)) return { problem: `escape only punctuation (\\${next ?? ''} is not supported)` };
        }
      }
      if (i >= chars.length) return { problem: 'a class [ is not closed' };
    } else if (c === '(' && chars[i + 1] === '?') {
      if (chars[i + 2] !== ':') return { problem: 'flags and named groups are not supported; (?: ) is' };
    } else if (c === '{') {
      const bound = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(chars.slice(i, i + 9).join(''));
      if (!bound) return { problem: 'write \\{ for a brace; {n}, {n,} and {n,m} repeat' };
      if (Number(bound[1]) > 255 || (bound[3] !== undefined && bound[3] !== '' && Number(bound[3]) > 255))
        return { problem: 'a repetition counts at most 255' };
      i += bound[0].length - 1;
    }
  }
  try {
    re2.compile(pattern, re2.DOTALL);
  } catch (error) {
    return { problem: `is not an RE2 pattern (${(error as Error).message})` };
  }
  return { pattern };
};

const DAY_MS = 86_400_000;
const startOfDay = (now: number) => Math.floor(now / DAY_MS) * DAY_MS;

/**
 * A filter checked against the fields a caller may search and resolved into conditions: unknown
 * fields, an operator a field's type does not take, a value of the wrong type, and anything over a
 * budget are QueryProblems. Relative dates are days in UTC: `today` is [00:00, 24:00) of `now`'s
 * day, `lastDays: n` the n days up to now, `nextDays: n` from now to n days on.
 */
export const resolveFilter = (filter: unknown, fields: SearchFields, now: number, path = 'filter', re2?: typeof RE2JS): Condition => {
  let predicates = 0;
  const walk = (node: unknown, at: string, depth: number): Condition => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new QueryProblem(at, 'must be an object: {and}, {or}, {not} or a predicate');
    const keys = Object.keys(node);
    if ('and' in node || 'or' in node) {
      const kind = 'and' in node ? 'and' : 'or';
      if (keys.length !== 1) throw new QueryProblem(at, `an {${kind}} holds nothing else`);
      if (depth >= SEARCH_LIMITS.depth) throw new QueryProblem(at, `nests deeper than ${SEARCH_LIMITS.depth} levels`);
      const of = (node as Record<string, unknown>)[kind];
      if (!Array.isArray(of) || of.length === 0) throw new QueryProblem(`${at}.${kind}`, 'must be a non-empty array');
      return { kind, of: of.map((child, i) => walk(child, `${at}.${kind}[${i}]`, depth + 1)) };
    }
    if ('not' in node) {
      if (keys.length !== 1) throw new QueryProblem(at, 'a {not} holds nothing else');
      if (depth >= SEARCH_LIMITS.depth) throw new QueryProblem(at, `nests deeper than ${SEARCH_LIMITS.depth} levels`);
      return { kind: 'not', of: walk((node as { not: unknown }).not, `${at}.not`, depth + 1) };
    }
    predicates++;
    if (predicates > SEARCH_LIMITS.predicates) throw new QueryProblem(at, `a filter holds at most ${SEARCH_LIMITS.predicates} predicates`);
    return predicate(node as Record<string, unknown>, at);
  };
  const predicate = (node: Record<string, unknown>, at: string): Condition => {
    for (const key of Object.keys(node))
      if (!['field', 'op', 'value'].includes(key)) throw new QueryProblem(`${at}.${key}`, 'is not a predicate member (field, op, value)');
    const { field: name, op, value } = node;
    if (typeof name !== 'string') throw new QueryProblem(`${at}.field`, 'must be a field name');
    const field = searchFieldOf(fields, name);
    if (!field) throw new QueryProblem(`${at}.field`, `is not a field you can search: ${JSON.stringify(name).slice(0, 80)}`);
    if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) throw new QueryProblem(`${at}.op`, `must be one of ${OPERATORS.join(', ')}`);
    const valueAt = `${at}.value`;
    const equality = op === 'eq' || op === 'ne' || op === 'in' || op === 'nin';
    const maxLength = equality ? SEARCH_LIMITS.equalityLength : SEARCH_LIMITS.valueLength;
    const scalar = (raw: unknown, where = valueAt): SearchScalar => {
      const ok =
        field.type === 'number'
          ? typeof raw === 'number' && Number.isFinite(raw)
          : field.type === 'boolean'
            ? typeof raw === 'boolean'
            : typeof raw === 'string' && raw.length <= maxLength && isStorableText(raw);
      if (!ok)
        throw new QueryProblem(
          where,
          field.type === 'number'
            ? 'must be a number'
            : field.type === 'boolean'
              ? 'must be true or false'
              : `must be a string of at most ${maxLength} characters, without U+0000 or unpaired surrogates`,
        );
      if (field.type === 'timestamp') {
        const instant = instantOf(raw);
        if (!instant) throw new QueryProblem(where, 'must be a date or date-time (ISO 8601)');
        return instant;
      }
      return typeof raw === 'string' && isFolded(field) ? fold(raw) : (raw as SearchScalar);
    };
    const list = (): SearchScalar[] => {
      if (!Array.isArray(value) || value.length === 0 || value.length > SEARCH_LIMITS.values)
        throw new QueryProblem(valueAt, `must be an array of 1 to ${SEARCH_LIMITS.values} values`);
      return value.map((v, i) => scalar(v, `${valueAt}[${i}]`));
    };
    const noValue = () => {
      if (value !== undefined) throw new QueryProblem(valueAt, `${op} takes no value`);
    };
    const base = { field: name, type: field.type };
    const ordered = field.type === 'number' || field.type === 'timestamp' || field.type === 'text' || field.type === 'keyword';
    switch (op) {
      case 'eq':
      case 'ne':
        return { kind: 'compare', ...base, op, value: scalar(value) };
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        if (!ordered) throw new QueryProblem(`${at}.op`, `${op} does not apply to ${field.type} fields`);
        return { kind: 'compare', ...base, op, value: scalar(value) };
      case 'between': {
        if (!ordered) throw new QueryProblem(`${at}.op`, `between does not apply to ${field.type} fields`);
        if (!Array.isArray(value) || value.length !== 2) throw new QueryProblem(valueAt, 'must be [from, to] (both included)');
        return {
          kind: 'and',
          of: [
            { kind: 'compare', ...base, op: 'ge', value: scalar(value[0], `${valueAt}[0]`) },
            { kind: 'compare', ...base, op: 'le', value: scalar(value[1], `${valueAt}[1]`) },
          ],
        };
      }
      case 'in':
      case 'nin':
        return { kind: 'in', ...base, values: list(), negated: op === 'nin' };
      case 'exists':
      case 'missing':
        noValue();
        return { kind: 'exists', ...base, negated: op === 'missing' };
      case 'isEmpty':
        noValue();
        if (field.type !== 'keywords') throw new QueryProblem(`${at}.op`, 'isEmpty applies to array fields (tags, e-mails, phones, multi-enum)');
        return { kind: 'exists', ...base, negated: true };
      case 'startsWith':
      case 'contains': {
        if (field.type === 'number' || field.type === 'boolean' || field.type === 'timestamp')
          throw new QueryProblem(`${at}.op`, `${op} applies to text fields`);
        const text = scalar(value) as string;
        if (op === 'contains' && [...text].length < SEARCH_LIMITS.containsMin)
          throw new QueryProblem(valueAt, `contains needs at least ${SEARCH_LIMITS.containsMin} characters`);
        if (text === '') throw new QueryProblem(valueAt, 'must not be empty');
        return { kind: 'text', ...base, op, value: text };
      }
      case 'regex': {
        if (field.type === 'number' || field.type === 'boolean' || field.type === 'timestamp')
          throw new QueryProblem(`${at}.op`, 'regex applies to text fields');
        if (typeof value !== 'string') throw new QueryProblem(valueAt, 'must be a pattern (a string)');
        if (!re2) throw new Error('search: a regex needs the RE2 engine (loadRegexEngine first)');
        const checked = checkPattern(value, field, re2);
        if ('problem' in checked) throw new QueryProblem(valueAt, checked.problem);
        return { kind: 'regex', ...base, pattern: checked.pattern };
      }
      case 'containsAny':
      case 'containsAll':
        if (field.type !== 'keywords') throw new QueryProblem(`${at}.op`, `${op} applies to array fields (tags, e-mails, phones, multi-enum)`);
        return { kind: 'array', field: name, op, values: list().map(String) };
      case 'today':
      case 'lastDays':
      case 'nextDays': {
        if (field.type !== 'timestamp') throw new QueryProblem(`${at}.op`, `${op} applies to date fields`);
        let from: number;
        let to: number;
        if (op === 'today') {
          noValue();
          from = startOfDay(now);
          to = from + DAY_MS;
        } else {
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > SEARCH_LIMITS.relativeDays)
            throw new QueryProblem(valueAt, `must be a whole number of days from 1 to ${SEARCH_LIMITS.relativeDays}`);
          [from, to] = op === 'lastDays' ? [now - value * DAY_MS, now] : [now, now + value * DAY_MS];
        }
        return {
          kind: 'and',
          of: [
            { kind: 'compare', ...base, op: 'ge', value: new Date(from).toISOString() },
            { kind: 'compare', ...base, op: 'lt', value: new Date(to).toISOString() },
          ],
        };
      }
    }
    throw new QueryProblem(`${at}.op`, 'is not an operator');
  };
  return walk(filter, path, 1);
};

/** A page's end as a cursor holds it: a value per sort key, then the id. */
export const isSearchPosition = (value: unknown, keys: number): value is (SearchScalar | null)[] =>
  Array.isArray(value) &&
  value.length === keys + 1 &&
  typeof value[keys] === 'string' &&
  value.every((v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');

/** Sort keys checked: known fields of an orderable type, at most three; the id breaks ties (ascending) unless it is a key. */
export const resolveSort = (sort: unknown, fields: SearchFields): SortKey[] => {
  if (sort === undefined) return [{ field: 'name', order: 'asc', nulls: 'last' }];
  if (!Array.isArray(sort) || sort.length > SEARCH_LIMITS.sortKeys)
    throw new QueryProblem('sort', `must be an array of at most ${SEARCH_LIMITS.sortKeys} keys`);
  return sort.map((key, i): SortKey => {
    const at = `sort[${i}]`;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new QueryProblem(at, 'must be {field, order?, nulls?}');
    for (const member of Object.keys(key)) if (!['field', 'order', 'nulls'].includes(member)) throw new QueryProblem(`${at}.${member}`, 'is not a sort member');
    const { field, order = 'asc', nulls } = key as Record<string, unknown>;
    const known = typeof field === 'string' ? searchFieldOf(fields, field) : undefined;
    if (!known) throw new QueryProblem(`${at}.field`, 'is not a field you can sort by');
    if (known.type === 'keywords') throw new QueryProblem(`${at}.field`, 'is an array: it cannot be sorted by');
    if (order !== 'asc' && order !== 'desc') throw new QueryProblem(`${at}.order`, 'must be asc or desc');
    if (nulls !== undefined && nulls !== 'first' && nulls !== 'last') throw new QueryProblem(`${at}.nulls`, 'must be first or last');
    return { field: field as string, order, nulls: (nulls as 'first' | 'last' | undefined) ?? (order === 'asc' ? 'last' : 'first') };
  });
};

// --- A customer as a document ----------------------------------------------------------------------

const mediaOf = (record: Record<string, unknown>): Record<string, unknown>[] =>
  (Array.isArray(record.contactMedium) ? record.contactMedium : [])
    .map((medium) => (typeof medium === 'object' && medium !== null ? (medium as { characteristic?: unknown }).characteristic : undefined))
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && !Array.isArray(c));

/**
 * A stored customer (its TMF629 and CRM attributes) as search holds it: each searchable field's
 * value (`searchValueOf`), without the fields it has no value for; `sharedWith` from its shares.
 */
export const searchDocumentOf = (record: Record<string, unknown> & { tenantId: string; id: string }, fields: SearchFields): SearchDocument => {
  const media = mediaOf(record);
  const engaged = typeof record.engagedParty === 'object' && record.engagedParty !== null ? (record.engagedParty as Record<string, unknown>) : {};
  const validFor = typeof record.validFor === 'object' && record.validFor !== null ? (record.validFor as Record<string, unknown>) : {};
  const referred = typeof engaged['@referredType'] === 'string' ? engaged['@referredType'].toLowerCase() : undefined;
  const custom = typeof record.customFields === 'object' && record.customFields !== null ? (record.customFields as Record<string, unknown>) : {};
  const raw: Record<string, unknown> = {
    id: record.id,
    name: record.name,
    status: record.status,
    crmStatus: record.crmStatus ?? 'LEAD',
    ownerId: record.ownerId,
    teamId: record.teamId,
    tags: record.tags,
    nextAction: record.nextAction,
    nextActionDueDate: record.nextActionDueDate,
    created: record.created,
    updated: record.updated,
    type: referred === 'individual' ? 'PERSON' : referred === 'organization' ? 'ORGANIZATION' : undefined,
    engagedPartyId: engaged.id,
    statusReason: record.statusReason,
    '@type': record['@type'],
    '@baseType': record['@baseType'],
    '@schemaLocation': record['@schemaLocation'],
    'validFor.startDateTime': validFor.startDateTime,
    'validFor.endDateTime': validFor.endDateTime,
    email: media.map((c) => c.emailAddress),
    phone: media.map((c) => c.phoneNumber),
    city: media.map((c) => c.city),
    country: media.map((c) => c.country),
    postCode: media.map((c) => c.postCode),
  };
  for (const [name] of fields) if (name.startsWith(CUSTOM_PREFIX)) raw[name] = custom[name.slice(CUSTOM_PREFIX.length)];
  const values: Record<string, SearchValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = fields.get(name);
    if (!field) continue;
    const held = searchValueOf(field, value);
    if (held !== null && !(Array.isArray(held) && held.length === 0)) values[name] = held;
  }
  for (const characteristic of Array.isArray(record.characteristic) ? record.characteristic : []) {
    const { name, value } = (characteristic ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || name === '') continue;
    const held = searchValueOf({ type: 'keyword' }, value);
    if (held !== null) values[`${CHARACTERISTIC_PREFIX}${storable(name)}`] = held;
  }
  const words: Record<string, string[]> = {};
  for (const [name, field] of fields) {
    if (!field.fullText) continue;
    const value = raw[name];
    const texts = (Array.isArray(value) ? value : [value]).filter((text): text is string => typeof text === 'string');
    const found = [...new Set(texts.flatMap(wordsIn))].sort(compareStrings);
    if (found.length > 0) words[name] = found;
  }
  const shares = typeof record.shares === 'object' && record.shares !== null ? Object.keys(record.shares) : [];
  return { tenantId: record.tenantId, id: record.id, values, words, sharedWith: shares.sort(compareStrings) };
};

/**
 * The condition a search's filter and full text `q` make together (undefined for neither): what
 * the customers' search and a filtered export both ask. RE2 is loaded only when the filter holds a
 * pattern (it stays out of the cold start). Throws QueryProblem naming what is wrong, the filter's
 * members under `path`.
 */
export const searchCondition = async (
  query: { filter?: unknown; q?: unknown },
  fields: SearchFields,
  now: number,
  path = 'filter',
): Promise<Condition | undefined> => {
  const re2 = query.filter !== undefined && JSON.stringify(query.filter).includes('"regex"') ? await loadRegexEngine() : undefined;
  return allOf([
    ...(query.filter === undefined ? [] : [resolveFilter(query.filter, fields, now, path, re2)]),
    ...(query.q === undefined ? [] : [resolveQ(query.q, fields)]),
  ]);
};
