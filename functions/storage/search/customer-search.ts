import type { AccessDecision } from '../../domain/access.ts';
import {
  BUILT_IN_SEARCH_FIELDS,
  QueryProblem,
  SEARCH_LIMITS,
  searchFieldOf,
  type Condition,
  type SearchDocument,
  type SearchFields,
  type SearchScalar,
  type SearchType,
  type SortKey,
  typosAllowed,
} from '../../domain/search-model.ts';
import { sqlClient, type SqlClient, type SqlParam, type SqlRow } from './sql.ts';

/**
 * The customers' search projection (issue 26) in PostgreSQL: one row per customer — its tenant, id
 * and version, its search document as `jsonb` (a key per field: `name`, `tags`, `customFields.tier`,
 * `characteristic.segment`), the grantees of its shares — and the SQL every search runs. Every
 * statement is built here, from parameters only: field names a caller gives travel as parameters
 * (`doc->>$3`), never as SQL text, and every query starts with `tenant_id = $1`
 * (test/unit/search-sql.test.ts fails on any statement without it). DynamoDB stays the source of
 * truth: a row is the customer as of its version, written only over an older one, and a customer
 * that is deleted, merged or erased keeps a row with no document, so an older version arriving late
 * cannot bring it back.
 */

const TABLE = 'customer_search';
/** Where a row's document keeps the words of its full-text fields (no field is named so: names are checked against the catalog). */
const WORDS = '~words';

/** The schema, created when a database is first used (every statement may run again). Indexes chosen from EXPLAIN plans (README, "Search"). */
export const SCHEMA: readonly string[] = [
  // Levenshtein distance for `q`'s typos; trigrams for `contains`; btree_gin to put the tenant in a trigram index (extensions Aurora PostgreSQL and PGlite both carry).
  'CREATE EXTENSION IF NOT EXISTS fuzzystrmatch',
  'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  'CREATE EXTENSION IF NOT EXISTS btree_gin',
  `CREATE TABLE IF NOT EXISTS ${TABLE} (
    tenant_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    live boolean NOT NULL,
    doc jsonb NOT NULL,
    shared_with text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id)
  )`,
  // Equality, in, containsAny/All on any field, built-in or custom: containment (doc @> {...}).
  `CREATE INDEX IF NOT EXISTS ${TABLE}_doc ON ${TABLE} USING gin (doc jsonb_path_ops)`,
  // The default sort and the common ones, each with the id that breaks ties.
  `CREATE INDEX IF NOT EXISTS ${TABLE}_name ON ${TABLE} (tenant_id, (doc->>'name') COLLATE "C", id) WHERE live`,
  `CREATE INDEX IF NOT EXISTS ${TABLE}_updated ON ${TABLE} (tenant_id, (doc->>'updated') COLLATE "C", id) WHERE live`,
  `CREATE INDEX IF NOT EXISTS ${TABLE}_created ON ${TABLE} (tenant_id, (doc->>'created') COLLATE "C", id) WHERE live`,
  `CREATE INDEX IF NOT EXISTS ${TABLE}_due ON ${TABLE} (tenant_id, (doc->>'nextActionDueDate') COLLATE "C", id) WHERE live`,
  `CREATE INDEX IF NOT EXISTS ${TABLE}_shared ON ${TABLE} USING gin (shared_with)`,
  // \`contains\` on the name (LIKE '%…%'): the tenant's rows holding the value's trigrams, then checked.
  `CREATE INDEX IF NOT EXISTS ${TABLE}_name_trgm ON ${TABLE} USING gin (tenant_id, (doc->>'name') gin_trgm_ops) WHERE live`,
];

const ready = new WeakMap<SqlClient, Promise<void>>();
/** The database with the projection's schema in place (once per database per instance). */
export const searchDatabase = async (): Promise<SqlClient> => {
  const client = await sqlClient();
  let done = ready.get(client);
  if (!done) {
    done = (async () => {
      for (const statement of SCHEMA) await client.query(statement);
    })();
    ready.set(client, done);
    done.catch(() => ready.delete(client));
  }
  await done;
  return client;
};

// --- Writing the projection ------------------------------------------------------------------------

/** The customer's row as of `version`: written when the row is older or missing, else left (a later version is there). */
export const projectCustomer = (document: SearchDocument, version: number): Promise<void> => projectCustomers([{ document, version }]);

/** Rows per statement when many customers are projected at once (a rebuild, the bench): 5 parameters each. */
const ROWS_PER_STATEMENT = 200;

/** Several customers' rows, each as of its version (as `projectCustomer`), in statements of ROWS_PER_STATEMENT. */
export const projectCustomers = async (rows: readonly { document: SearchDocument; version: number }[]): Promise<void> => {
  const client = await searchDatabase();
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: SqlParam[] = [];
    const values = chunk.map(({ document, version }) => {
      params.push(
        document.tenantId,
        document.id,
        version,
        JSON.stringify({ ...document.values, [WORDS]: document.words }),
        JSON.stringify(document.sharedWith),
      );
      const n = params.length;
      return `($${n - 4}, $${n - 3}, $${n - 2}::bigint, true, $${n - 1}::jsonb, ARRAY(SELECT jsonb_array_elements_text($${n}::jsonb)))`;
    });
    await client.query(
      `INSERT INTO ${TABLE} AS row (tenant_id, id, version, live, doc, shared_with) VALUES ${values.join(', ')}
       ON CONFLICT (tenant_id, id) DO UPDATE SET version = excluded.version, live = true, doc = excluded.doc, shared_with = excluded.shared_with
       WHERE row.version < excluded.version`,
      params,
    );
  }
};

/** A customer no longer live (deleted, merged, erased) as of `version`: its row keeps no document and leaves every search. */
export const projectGone = async (tenantId: string, id: string, version: number): Promise<void> => {
  const client = await searchDatabase();
  await client.query(
    `INSERT INTO ${TABLE} AS row (tenant_id, id, version, live, doc, shared_with) VALUES ($1, $2, $3, false, '{}'::jsonb, '{}')
     ON CONFLICT (tenant_id, id) DO UPDATE SET version = excluded.version, live = false, doc = '{}'::jsonb, shared_with = '{}'
     WHERE row.version < excluded.version`,
    [tenantId, id, version],
  );
};

/** A customer that no longer exists at all (purged): its row goes. */
export const forgetCustomer = async (tenantId: string, id: string): Promise<void> => {
  const client = await searchDatabase();
  await client.query(`DELETE FROM ${TABLE} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
};

// --- Reading it ------------------------------------------------------------------------------------

/** SQL and its parameters, built together: every value becomes a parameter. */
class Statement {
  readonly params: SqlParam[] = [];
  constructor(tenantId: string) {
    this.params.push(tenantId);
  }
  param(value: SqlParam): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  /** A field's key in the document: built-in names as literals (the sort indexes name them), any other as a parameter. */
  key(field: string): string {
    return Object.hasOwn(BUILT_IN_SEARCH_FIELDS, field) ? `'${field}'` : `${this.param(field)}::text`;
  }
  /** A scalar field's value as SQL: text in byte order, numbers, booleans. */
  scalar(field: string, type: SearchType): string {
    const text = `(doc->>${this.key(field)})`;
    return type === 'number' ? `${text}::float8` : type === 'boolean' ? `${text}::boolean` : `${text} COLLATE "C"`;
  }
  /** `doc @> {field: value}`: containment, which the GIN index answers. */
  contains(field: string, value: unknown): string {
    return `doc @> ${this.param(JSON.stringify({ [field]: value }))}::jsonb`;
  }
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A condition as a SQL boolean that is never NULL (a missing field makes a comparison false, and its negation true, as the model says). */
const conditionSql = (condition: Condition, sql: Statement): string => {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return `(${condition.of.map((c) => conditionSql(c, sql)).join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${conditionSql(condition.of, sql)}`;
    case 'compare': {
      if (condition.op === 'eq' || condition.op === 'ne') {
        const matched = sql.contains(condition.field, condition.type === 'keywords' ? [condition.value] : condition.value);
        return condition.op === 'eq' ? matched : `NOT ${matched}`;
      }
      const operator = { gt: '>', ge: '>=', lt: '<', le: '<=' }[condition.op];
      return `COALESCE(${sql.scalar(condition.field, condition.type)} ${operator} ${sql.param(condition.value)}, false)`;
    }
    case 'in': {
      const any = `(${condition.values.map((value) => sql.contains(condition.field, condition.type === 'keywords' ? [value] : value)).join(' OR ')})`;
      return condition.negated ? `NOT ${any}` : any;
    }
    case 'exists': {
      const present = `(doc->${sql.key(condition.field)}) IS NOT NULL`;
      return condition.negated ? `NOT (${present})` : `(${present})`;
    }
    case 'text': {
      const pattern = sql.param(condition.op === 'startsWith' ? `${escapeLike(condition.value)}%` : `%${escapeLike(condition.value)}%`);
      if (condition.type === 'keywords')
        return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(doc->${sql.key(condition.field)}, '[]'::jsonb)) AS element WHERE element COLLATE "C" LIKE ${pattern})`;
      // A prefix under "C" (the B-tree on the name serves it); contains on the bare expression, which the name's trigram index carries (LIKE compares characters alike under any deterministic collation).
      const value = condition.op === 'startsWith' ? sql.scalar(condition.field, condition.type) : `(doc->>${sql.key(condition.field)})`;
      return `COALESCE(${value} LIKE ${pattern}, false)`;
    }
    case 'regex': {
      // Checked by the model (checkPattern): RE2's syntax, inside what PostgreSQL's engine reads alike.
      const pattern = sql.param(condition.pattern);
      if (condition.type === 'keywords')
        return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(doc->${sql.key(condition.field)}, '[]'::jsonb)) AS element WHERE element COLLATE "C" ~ ${pattern})`;
      return `COALESCE(${sql.scalar(condition.field, condition.type)} ~ ${pattern}, false)`;
    }
    case 'array':
      return condition.op === 'containsAll'
        ? sql.contains(condition.field, condition.values)
        : `(${condition.values.map((value) => sql.contains(condition.field, [value])).join(' OR ')})`;
    case 'q': {
      if (condition.fields.length === 0) return 'false';
      const words = condition.fields.map((field) => `COALESCE(doc->'${WORDS}'->${sql.param(field)}::text, '[]'::jsonb)`).join(' || ');
      return `(${condition.words
        .map((word) => {
          const typos = typosAllowed(word);
          const near = typos > 0 ? ` OR levenshtein_less_equal(token, ${sql.param(word)}, ${sql.param(typos)}) <= ${sql.param(typos)}` : '';
          return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${words}) AS token WHERE token COLLATE "C" LIKE ${sql.param(`${escapeLike(word)}%`)}${near})`;
        })
        .join(' AND ')})`;
    }
  }
};

/** What a caller reaches for reading, as SQL: everything, or their own, their teams', their shares'. */
const reachSql = (decision: AccessDecision | undefined, sql: Statement): string => {
  if (!decision || decision.read.tenant) return 'true';
  const parts: string[] = [];
  if (decision.read.own) parts.push(`doc->>'ownerId' = ${sql.param(decision.user)}`);
  if (decision.read.teams.length > 0)
    parts.push(`doc->>'teamId' IN (SELECT jsonb_array_elements_text(${sql.param(JSON.stringify(decision.read.teams))}::jsonb))`);
  if (decision.read.shared) parts.push(`shared_with && ARRAY(SELECT jsonb_array_elements_text(${sql.param(JSON.stringify(decision.grantees))}::jsonb))`);
  return parts.length > 0 ? `(${parts.map((part) => `COALESCE(${part}, false)`).join(' OR ')})` : 'false';
};

/** A sort key's direction and null placement as SQL. */
const orderOf = (key: SortKey): string => `${key.order === 'asc' ? 'ASC' : 'DESC'} NULLS ${key.nulls === 'first' ? 'FIRST' : 'LAST'}`;

/**
 * Rows strictly after a position in the sort order (keyset paging). For each key, "after" and
 * "equal" take nulls where the sort puts them; the id, never null, ends every order.
 */
const afterSql = (sort: readonly SortKey[], types: readonly SearchType[], position: readonly (SearchScalar | null)[], sql: Statement): string => {
  const alternatives: string[] = [];
  const equalSoFar: string[] = [];
  sort.forEach((key, i) => {
    const expr = sql.scalar(key.field, types[i]!);
    const value = position[i] ?? null;
    let after: string;
    let equal: string;
    if (value === null) {
      after = key.nulls === 'first' ? `${expr} IS NOT NULL` : 'false';
      equal = `${expr} IS NULL`;
    } else {
      const beyond = `${expr} ${key.order === 'asc' ? '>' : '<'} ${sql.param(value)}`;
      after = key.nulls === 'last' ? `(${beyond} OR ${expr} IS NULL)` : `COALESCE(${beyond}, false)`;
      equal = `COALESCE(${expr} = ${sql.param(value)}, false)`;
    }
    alternatives.push([...equalSoFar, after].join(' AND '));
    equalSoFar.push(equal);
  });
  alternatives.push([...equalSoFar, `id > ${sql.param(String(position[sort.length]))}`].join(' AND '));
  return `(${alternatives.map((a) => `(${a})`).join(' OR ')})`;
};

export interface SearchRequest {
  tenantId: string;
  fields: SearchFields;
  filter?: Condition;
  sort: SortKey[];
  limit: number;
  /** Where the previous page ended: its last row's sort values, then its id. */
  after?: (SearchScalar | null)[];
  /** Rows to skip first (TMF's `offset`): the database walks them, so its cost grows with the offset; cursors (`after`) do not. */
  offset?: number;
  count: boolean;
  facets: string[];
  access?: AccessDecision;
}

export interface SearchPage {
  ids: string[];
  /** The last row's sort values and id, when there may be more. */
  next?: (SearchScalar | null)[];
  count?: { value: number; relation: 'eq' | 'gte' };
  facets?: Record<string, { value: string; count: number }[]>;
}

/** The WHERE clause every statement of a search shares: the tenant first, live rows, what the caller reaches, the filter. */
const whereOf = (request: SearchRequest, sql: Statement): string =>
  ['tenant_id = $1', 'live', reachSql(request.access, sql), ...(request.filter ? [conditionSql(request.filter, sql)] : [])].join(' AND ');

const typeOf = (fields: SearchFields, field: string): SearchType => searchFieldOf(fields, field)?.type ?? 'keyword';

/** Every SQL statement a search sends, for the tests that check each is bound to its tenant. */
export const searchStatements = (request: SearchRequest): { text: string; params: SqlParam[] }[] => {
  const statements: { text: string; params: SqlParam[] }[] = [];
  const types = request.sort.map((key) => typeOf(request.fields, key.field));
  {
    const sql = new Statement(request.tenantId);
    const where = [whereOf(request, sql), ...(request.after ? [afterSql(request.sort, types, request.after, sql)] : [])].join(' AND ');
    const selected = request.sort.map((key, i) => `${sql.scalar(key.field, types[i]!)} AS s${i}`);
    const order = [...request.sort.map((key, i) => `${sql.scalar(key.field, types[i]!)} ${orderOf(key)}`), 'id ASC'].join(', ');
    statements.push({
      text: `SELECT id${selected.map((s) => `, ${s}`).join('')} FROM ${TABLE} WHERE ${where} ORDER BY ${order} LIMIT ${sql.param(request.limit + 1)}${request.offset ? ` OFFSET ${sql.param(request.offset)}` : ''}`,
      params: sql.params,
    });
  }
  if (request.count) {
    const sql = new Statement(request.tenantId);
    statements.push({
      text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${TABLE} WHERE ${whereOf(request, sql)} LIMIT ${sql.param(SEARCH_LIMITS.exactCount + 1)}) AS matched`,
      params: sql.params,
    });
  }
  for (const facet of request.facets) {
    const sql = new Statement(request.tenantId);
    const where = whereOf(request, sql);
    const many = typeOf(request.fields, facet) === 'keywords';
    const key = sql.key(facet);
    const value = many ? 'element' : `matched.doc->>${key}`;
    // Over the first 100,000 matches at most, as the count: a facet's cost is bounded like every other answer's.
    const matched = `(SELECT doc FROM ${TABLE} WHERE ${where} LIMIT ${sql.param(SEARCH_LIMITS.exactCount)}) AS matched`;
    const from = many ? `${matched}, jsonb_array_elements_text(COALESCE(matched.doc->${key}, '[]'::jsonb)) AS element` : matched;
    statements.push({
      text: `SELECT ${value} AS value, count(*)::int AS n FROM ${from} WHERE ${value} IS NOT NULL GROUP BY 1 ORDER BY n DESC, (${value}) COLLATE "C" ASC LIMIT ${sql.param(SEARCH_LIMITS.buckets)}`,
      params: sql.params,
    });
  }
  return statements;
};

/** A search: one page of ids in order, the count and the facets when asked (their statements sent together). */
export const searchCustomers = async (request: SearchRequest): Promise<SearchPage> => {
  const client = await searchDatabase();
  const [page, ...rest] = await Promise.all(searchStatements(request).map(({ text, params }) => client.query(text, params))).catch((error: unknown) => {
    // What RE2 takes and PostgreSQL still refuses (a repetition it finds too complex): the query's problem, not the engine's.
    if (isRegexError(error)) throw new QueryProblem('regex', `PostgreSQL cannot run this pattern (${(error as Error).message.slice(0, 120)})`);
    throw error;
  });
  const rows = page!;
  const more = rows.length > request.limit;
  const shown = rows.slice(0, request.limit);
  const last = shown.at(-1);
  const result: SearchPage = { ids: shown.map((row) => String(row.id)) };
  if (more && last) result.next = [...request.sort.map((_, i) => scalarOf(last[`s${i}`])), String(last.id)];
  if (request.count) {
    const n = Number(rest.shift()![0]!.n);
    result.count = n > SEARCH_LIMITS.exactCount ? { value: SEARCH_LIMITS.exactCount, relation: 'gte' } : { value: n, relation: 'eq' };
  }
  if (request.facets.length > 0)
    result.facets = Object.fromEntries(
      request.facets.map((facet) => [facet, rest.shift()!.map((row: SqlRow) => ({ value: String(row.value), count: Number(row.n) }))]),
    );
  return result;
};

/** PostgreSQL's invalid_regular_expression (2201B) and "regular expression is too complex" (54001), from PGlite or the Data API. */
const isRegexError = (error: unknown): boolean =>
  error instanceof Error &&
  ((error as { code?: unknown }).code === '2201B' || /invalid regular expression|regular expression is too complex/i.test(error.message));

const scalarOf = (value: unknown): SearchScalar | null =>
  value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'boolean' ? value : String(value);

// --- Checking it against the table ---------------------------------------------------------------------

/** The versions the projection holds of these customers of a tenant (live or not), by id. */
export const projectedVersions = async (tenantId: string, ids: readonly string[]): Promise<Map<string, { version: number; live: boolean }>> => {
  if (ids.length === 0) return new Map();
  const client = await searchDatabase();
  const rows = await client.query(
    `SELECT id, version::float8 AS version, live FROM ${TABLE} WHERE tenant_id = $1 AND id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [tenantId, JSON.stringify(ids)],
  );
  return new Map(rows.map((row) => [String(row.id), { version: Number(row.version), live: row.live === true }]));
};

/** The next `limit` customers the projection holds as live for a tenant, in id order after `after`: the other side of a reconciliation. */
export const projectedLiveIds = async (tenantId: string, after: string, limit: number): Promise<string[]> => {
  const client = await searchDatabase();
  const rows = await client.query(`SELECT id FROM ${TABLE} WHERE tenant_id = $1 AND live AND id > $2 ORDER BY id LIMIT $3`, [tenantId, after, limit]);
  return rows.map((row) => String(row.id));
};
