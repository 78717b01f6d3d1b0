/**
 * The differential test of search (issue 26): random tenants of search documents are written to
 * the projection (PGlite, the SQL the Aurora cluster runs) and random queries of the query model —
 * filters of every operator on every field type (patterns too), nested and/or/not, sorts with nulls
 * first or last, pages after a position or an offset, counts, facets, callers narrowed by their roles — are answered by the SQL
 * engine and by the reference evaluator (test/support/search-oracle.ts). Ids, their order, the next
 * page, the counts and the facets must be the same, for at least 10,000 queries a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalSearchEngine } from '../../lib/local/search-engine.ts';
import { projectCustomer, projectGone, searchCustomers, searchDatabase } from '../../functions/storage/search/customer-search.ts';
import {
  allOf,
  QueryProblem,
  fold,
  resolveFilter,
  resolveQ,
  resolveSort,
  searchDocumentOf,
  searchFieldsOf,
  type Condition,
  type SearchDocument,
  type SearchFields,
} from '../../functions/domain/search-model.ts';
import type { AccessDecision } from '../../functions/domain/access.ts';
import { loadRegexEngine } from '../../functions/domain/custom-fields.ts';
import { evaluate } from '../support/search-oracle.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const QUERIES = Number(process.env.SEARCH_QUERIES ?? 10_000);
const engine = useLocalSearchEngine();
afterAll(() => engine.stop());

const fields: SearchFields = searchFieldsOf([
  { key: 'tier', label: 'Tier', type: 'enum', searchable: true, options: ['gold', 'silver', 'bronze'].map((key) => ({ key, label: key })) },
  { key: 'score', label: 'Score', type: 'decimal', searchable: true },
  { key: 'active', label: 'Active', type: 'boolean', searchable: true },
  { key: 'skills', label: 'Skills', type: 'multiEnum', searchable: true, options: ['a', 'b', 'c'].map((key) => ({ key, label: key })) },
  { key: 'note', label: 'Note', type: 'text', searchable: true },
  { key: 'renewal', label: 'Renewal', type: 'datetime', searchable: true },
]);

const NAMES = ['Ann', 'ann', 'Änn', 'Bob', 'bob smith', 'Zoë', 'zoe', 'Ñandú', '100%_sure', 'a\\b', ''];
const INSTANTS = ['2026-01-01T00:00:00.000Z', '2026-06-15T12:00:00.000Z', '2026-12-02T08:30:00.000Z', '2026-12-03T00:00:00.000Z', '2027-03-01T00:00:00.000Z'];
const TAGS = ['vip', 'gold', 'churn', 'Vip'];
const TEAMS = ['t1', 't2', 't3'];
const USERS = ['u1', 'u2', 'u3'];
const TENANTS = ['diff-a', 'diff-b'];

/** A stored customer as the CRM keeps it, random within small pools (so predicates match some and miss others). */
const record = (tenantId: string, n: number) =>
  fc
    .record({
      name: fc.constantFrom(...NAMES.filter(Boolean)),
      crmStatus: fc.option(fc.constantFrom('LEAD', 'PROSPECT', 'CUSTOMER'), { nil: undefined }),
      status: fc.option(fc.constantFrom('Approved', 'Validated'), { nil: undefined }),
      ownerId: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
      teamId: fc.option(fc.constantFrom(...TEAMS), { nil: undefined }),
      tags: fc.subarray(TAGS),
      nextActionDueDate: fc.option(fc.constantFrom(...INSTANTS), { nil: undefined }),
      created: fc.constantFrom(...INSTANTS),
      emails: fc.subarray(['Ann@Example.com', 'bob@example.org', 'zoë@ex.com']),
      city: fc.option(fc.constantFrom('Lyon', 'LYON', 'Paris', 'São Paulo'), { nil: undefined }),
      segment: fc.option(fc.constantFrom('smb', 'enterprise', '42'), { nil: undefined }),
      since: fc.option(fc.constantFrom(...INSTANTS), { nil: undefined }),
      custom: fc.record(
        {
          tier: fc.constantFrom('gold', 'silver', 'bronze'),
          score: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.25, 2.75)),
          active: fc.boolean(),
          skills: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
          note: fc.constantFrom('Calls back on Monday', 'monday', 'déjà vu', 'x'),
          renewal: fc.constantFrom(...INSTANTS),
        },
        { requiredKeys: [] },
      ),
      shares: fc.subarray(['user:u1', 'user:u2', 'team:t1', 'team:t3']),
      live: fc.boolean().map((b) => b || Math.random() < 0.9),
    })
    .map((r) => ({
      tenantId,
      id: `c${String(n).padStart(3, '0')}`,
      name: r.name,
      ...(r.crmStatus ? { crmStatus: r.crmStatus } : {}),
      ...(r.status ? { status: r.status } : {}),
      ...(r.ownerId ? { ownerId: r.ownerId } : {}),
      ...(r.teamId ? { teamId: r.teamId } : {}),
      ...(r.tags.length ? { tags: r.tags } : {}),
      ...(r.nextActionDueDate ? { nextActionDueDate: r.nextActionDueDate } : {}),
      created: r.created,
      updated: r.created,
      ...(r.since ? { validFor: { startDateTime: r.since } } : {}),
      engagedParty: { id: `p${n}`, '@referredType': n % 2 ? 'Individual' : 'Organization' },
      contactMedium: [
        ...r.emails.map((emailAddress) => ({ mediumType: 'Email', characteristic: { emailAddress } })),
        ...(r.city ? [{ mediumType: 'PostalAddress', characteristic: { city: r.city, country: 'FR' } }] : []),
      ],
      ...(r.segment ? { characteristic: [{ name: 'segment', value: r.segment }] } : {}),
      customFields: r.custom,
      shares: Object.fromEntries(r.shares.map((g) => [g, 'read'])),
      live: r.live,
    }));

const docs: SearchDocument[] = [];

beforeAll(async () => {
  const db = await searchDatabase();
  await db.query('DELETE FROM customer_search WHERE tenant_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))', [JSON.stringify(TENANTS)]);
  for (const tenantId of TENANTS) {
    const records = fc.sample(fc.tuple(...Array.from({ length: 150 }, (_, n) => record(tenantId, n))), {
      numRuns: 1,
      seed: FUZZ_SEED + TENANTS.indexOf(tenantId),
    })[0]!;
    for (const r of records) {
      const doc = searchDocumentOf(r, fields);
      await projectCustomer(doc, 1);
      if (r.live) docs.push(doc);
      else await projectGone(tenantId, r.id, 2);
    }
  }
}, 120_000);

// --- Random queries of the model, valid by construction (a QueryProblem is a failure of the generator, counted) ---

/** The values a query tries on a field: those the documents hold, in other cases and accents, and some no document holds. */
const poolOf = (field: string): readonly (string | number | boolean)[] => {
  if (field === 'name' || field === 'customFields.note' || field === 'nextAction')
    return [...NAMES.filter(Boolean), 'ANN', 'bob', 'zoe', 'mon', 'deja', '%', '_', 'Calls back on Monday', 'monday'];
  if (field === 'email') return ['ann@example.com', 'ANN@EXAMPLE.COM', 'bob@example.org', 'zoe@ex.com', 'nobody@x', 'example'];
  if (field === 'city') return ['lyon', 'Lyon', 'paris', 'sao paulo', 'Nowhere', 'pau'];
  if (field === 'tags') return [...TAGS, 'none'];
  if (field === 'customFields.skills') return ['a', 'b', 'c', 'd'];
  if (field === 'customFields.score') return [-3, -1.25, 0, 0.5, 1, 2.75, 3];
  if (field === 'customFields.active') return [true, false];
  if (field === 'customFields.tier') return ['gold', 'silver', 'bronze', 'GOLD', 'old'];
  if (field === 'crmStatus') return ['LEAD', 'PROSPECT', 'CUSTOMER', 'lead', 'CUST'];
  if (field === 'status') return ['Approved', 'Validated', 'App'];
  if (field === 'ownerId') return [...USERS, 'u'];
  if (field === 'teamId') return [...TEAMS, 't'];
  if (field === 'type') return ['PERSON', 'ORGANIZATION', 'PER'];
  if (field === 'country') return ['FR', 'fr'];
  if (field === 'characteristic.segment') return ['smb', 'enterprise', '42', 'SMB', 'ent'];
  if (['created', 'updated', 'nextActionDueDate', 'customFields.renewal', 'validFor.startDateTime', 'validFor.endDateTime'].includes(field))
    return [...INSTANTS, '2026-12-02', '2026-06-15T14:00:00+02:00'];
  return ['p1', 'p2', 'p10', 'c001', 'c010', 'c00'];
};
/** Patterns in the subset RE2 and PostgreSQL read alike (search-model.ts checkPattern), matching some values of every text and keyword field. */
const PATTERNS = [
  '^a',
  '^AN+',
  '^(bob|zoe)',
  '^[a-c]',
  '^.{3}$',
  '^.*mon',
  '^.*\\.(com|org)$',
  '^[^a-m]',
  '^(?:p|c)1',
  '^v[a-z]+$',
  '^.*e$',
  '^100%_',
  '^a\\\\b',
  '^[0-9]{2}',
  '^(a|)+n?$',
  '^l.?on',
  '^.*[ ]',
];
const valueFor = (field: string): fc.Arbitrary<unknown> => fc.constantFrom(...poolOf(field));

const FIELD_NAMES = [...fields.keys(), 'characteristic.segment'];
const typeOf = (field: string) => fields.get(field)?.type ?? 'keyword';

const predicate: fc.Arbitrary<unknown> = fc.constantFrom(...FIELD_NAMES).chain((field) => {
  const type = typeOf(field);
  const value = valueFor(field);
  const list = fc.array(value, { minLength: 1, maxLength: 4 });
  const ops: fc.Arbitrary<unknown>[] = [
    fc.record({ field: fc.constant(field), op: fc.constantFrom('eq', 'ne'), value }),
    fc.record({ field: fc.constant(field), op: fc.constantFrom('in', 'nin'), value: list }),
    fc.record({ field: fc.constant(field), op: fc.constantFrom('exists', 'missing') }),
  ];
  if (type !== 'keywords' && type !== 'boolean') {
    ops.push(fc.record({ field: fc.constant(field), op: fc.constantFrom('gt', 'ge', 'lt', 'le'), value }));
    ops.push(fc.record({ field: fc.constant(field), op: fc.constant('between'), value: fc.tuple(value, value) }));
  }
  if (type === 'text' || type === 'keyword' || type === 'keywords') {
    const texts = poolOf(field).filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (texts.length > 0) ops.push(fc.record({ field: fc.constant(field), op: fc.constant('startsWith'), value: fc.constantFrom(...texts) }));
    const long = texts.filter((v) => [...v].length >= 3);
    if (long.length > 0) ops.push(fc.record({ field: fc.constant(field), op: fc.constant('contains'), value: fc.constantFrom(...long) }));
    ops.push(fc.record({ field: fc.constant(field), op: fc.constant('regex'), value: fc.constantFrom(...PATTERNS) }));
  }
  if (type === 'keywords') {
    ops.push(fc.record({ field: fc.constant(field), op: fc.constantFrom('containsAny', 'containsAll'), value: list }));
    ops.push(fc.record({ field: fc.constant(field), op: fc.constant('isEmpty') }));
  }
  if (type === 'timestamp') {
    ops.push(fc.record({ field: fc.constant(field), op: fc.constant('today') }));
    ops.push(fc.record({ field: fc.constant(field), op: fc.constantFrom('lastDays', 'nextDays'), value: fc.integer({ min: 1, max: 400 }) }));
  }
  return fc.oneof(...ops);
});

const filter: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    predicate,
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;

const SORTABLE = FIELD_NAMES.filter((f) => typeOf(f) !== 'keywords');
const sortKey = fc.record(
  { field: fc.constantFrom(...SORTABLE), order: fc.constantFrom('asc', 'desc'), nulls: fc.constantFrom('first', 'last') },
  { requiredKeys: ['field'] },
);

const narrowed = (user: string, teams: string[], own: boolean, shared: boolean): AccessDecision => ({
  user,
  roles: ['rep'],
  teams,
  grantees: [`user:${user}`, ...teams.map((t) => `team:${t}`)],
  read: { tenant: false, own, teams, shared },
  write: { tenant: false, own, teams: [], shared: false },
  fields: { emails: 'write', phones: 'write', addresses: 'write', birthDate: 'write', identifiers: 'write', sensitive: 'write' },
});
const access = fc.option(
  fc
    .record({ user: fc.constantFrom(...USERS), teams: fc.subarray(TEAMS), own: fc.boolean(), shared: fc.boolean() })
    .map((a) => narrowed(a.user, a.teams, a.own, a.shared)),
  { nil: undefined, freq: 2 },
);

const query = fc.record({
  tenantId: fc.constantFrom(...TENANTS),
  filter: fc.option(filter, { nil: undefined, freq: 6 }),
  sort: fc.option(fc.array(sortKey, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  limit: fc.integer({ min: 1, max: 40 }),
  count: fc.boolean(),
  facets: fc.subarray(['crmStatus', 'tags', 'teamId', 'customFields.tier', 'customFields.skills', 'characteristic.segment', 'customFields.active'], {
    maxLength: 2,
  }),
  access,
  secondPage: fc.boolean(),
  offset: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined, freq: 4 }),
  q: fc.option(fc.constantFrom('ann', 'anne', 'smith', 'smoth', 'zoe', 'monday mon', 'calls bak', 'example', 'exampel', 'déjà', 'bob ann', '42', 'sure 100'), {
    nil: undefined,
    freq: 2,
  }),
});

describe('search: the SQL engine answers as the reference evaluator does', () => {
  it(`for ${QUERIES} random queries over two seeded tenants`, async () => {
    const now = Date.parse('2026-12-02T10:00:00.000Z');
    const re2 = await loadRegexEngine();
    let refused = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        let condition: Condition | undefined;
        let sort: ReturnType<typeof resolveSort>;
        try {
          const conditions = [
            ...(q.filter === undefined ? [] : [resolveFilter(q.filter, fields, now, 'filter', re2)]),
            ...(q.q === undefined ? [] : [resolveQ(q.q, fields)]),
          ];
          condition = allOf(conditions);
          sort = resolveSort(q.sort, fields);
        } catch (error) {
          if (!(error instanceof QueryProblem)) throw error;
          refused++;
          return;
        }
        const request = {
          tenantId: q.tenantId,
          fields,
          ...(condition ? { filter: condition } : {}),
          sort,
          limit: q.limit,
          ...(q.offset ? { offset: q.offset } : {}),
          count: q.count,
          facets: q.facets,
          ...(q.access ? { access: q.access } : {}),
        };
        const got = await searchCustomers(request);
        const want = evaluate(docs, { ...request, facets: q.facets });
        const context = JSON.stringify(q);
        expect(got.ids, context).toEqual(want.ids);
        expect(got.next !== undefined, context).toBe(want.more);
        if (got.ids.length > 0) nonEmpty++;
        if (q.count) expect(got.count, context).toEqual(want.count);
        if (q.facets.length > 0) expect(got.facets, context).toEqual(want.facets);
        if (q.secondPage && got.next) {
          const { offset: _, ...fromCursor } = request;
          const second = await searchCustomers({ ...fromCursor, after: got.next, count: false, facets: [] });
          const wanted = evaluate(docs, { ...fromCursor, after: got.next, facets: [] });
          expect(second.ids, `${context} (page 2)`).toEqual(wanted.ids);
        }
      }),
      { numRuns: QUERIES, seed: FUZZ_SEED },
    );
    // The generator makes valid queries (a few relative-date or between bounds aside), and many match something.
    expect(refused).toBeLessThan(QUERIES / 20);
    expect(nonEmpty).toBeGreaterThan(QUERIES / 3);
    expect(fold('Zoë')).toBe('zoe');
  }, 600_000);
});
