/**
 * Injection through search (issue 26): hostile text in every operator's value, in field names
 * (`characteristic.<name>`, `customFields.<key>`), in `q`, in sort and facet fields, and in TMF630
 * parameters and patterns, through the real handlers against the projection in PGlite. Every
 * answer is a 200 or a 400 in the family's format, never a 5xx; a 200 lists only the caller's
 * tenant's customers; and afterwards the projection is whole — its schema, every other tenant's
 * rows — as it was.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { useLocalSearchEngine } from '../../lib/local/search-engine.ts';
import { projectFromTable } from '../../functions/search/customer-projection.ts';
import { projectCustomer, searchCustomers, searchDatabase } from '../../functions/storage/search/customer-search.ts';
import { OPERATORS, searchDocumentOf, searchFieldsOf } from '../../functions/domain/search-model.ts';
import { TMF_FILTER_ATTRIBUTES, TMF_OPERATORS } from '../../functions/domain/tmf630-query.ts';
import { send } from '../support/send.ts';
import { isFamilyError } from '../support/error-bodies.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const RUNS = Number(process.env.SEARCH_INJECTION_RUNS ?? 400);
const tenant = uniqueTenant();
const victim = uniqueTenant();
const engine = useLocalSearchEngine();
afterAll(() => engine.stop());

const HOSTILE = [
  "'; DROP TABLE customer_search; --",
  "' OR '1'='1",
  "x' OR tenant_id <> '",
  '") OR true --',
  '$1',
  '$2::text',
  '::jsonb',
  "doc->>'name'",
  '%',
  '_',
  '\\',
  "\\'",
  '*/ SELECT 1 /*',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '{"tenant_id": "x"}',
  '[]',
  '~words',
  'é'.repeat(300),
  "^'.*",
  '^(a|b)*$',
  '^.*\u0000',
];
const hostile = fc.constantFrom(...HOSTILE);
const FIELDS = ['name', 'status', 'tags', 'email', 'created', 'ownerId', 'customFields.tier', 'characteristic.segment'];
const fieldName = fc.oneof(
  { arbitrary: fc.constantFrom(...FIELDS), weight: 4 },
  hostile,
  hostile.map((h) => `characteristic.${h}`),
  hostile.map((h) => `customFields.${h}`),
);
const value = fc.oneof({ arbitrary: hostile, weight: 4 }, fc.array(hostile, { minLength: 1, maxLength: 3 }), fc.constantFrom(1, -1, true, null, {}, [hostile]));

const ids = new Set<string>();
let victimRows = 0;

beforeAll(async () => {
  const field = await send('createField', {
    sub: 'admin',
    tenant,
    params: { object: 'customer' },
    body: { key: 'tier', label: 'Tier', type: 'enum', searchable: true, options: [{ key: 'gold', label: 'Gold' }] },
  });
  expect(field.status, JSON.stringify(field.body)).toBe(201);
  for (const [who, name] of [
    [tenant, "O'Brien; DROP"],
    [tenant, 'Plain Customer'],
    [victim, 'Victim One'],
    [victim, 'Victim Two'],
  ] as const) {
    const created = await send('createCrmCustomer', {
      sub: 'admin',
      tenant: who,
      body: { type: 'PERSON', name, tags: ['vip'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (who === tenant) ids.add(created.body.id);
    await projectFromTable(who, created.body.id);
  }
  const db = await searchDatabase();
  victimRows = Number((await db.query('SELECT count(*)::int AS n FROM customer_search WHERE tenant_id = $1 AND live', [victim]))[0]!.n);
  expect(victimRows).toBe(2);
}, 60_000);

const expectSafe = (answer: { status: number; body: unknown }, family: 'crm' | 'tmf629', context: string) => {
  expect([200, 400], `${context} → ${JSON.stringify(answer.body).slice(0, 300)}`).toContain(answer.status);
  if (answer.status === 400) expect(isFamilyError(family, 400, answer.body), context).toBe(true);
};

describe('search refuses or answers hostile input, and it reaches nothing else', () => {
  it(`native search: every operator, field names, q, sort and facets (${RUNS} runs)`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .record(
            {
              filter: fc.record(
                { field: fieldName, op: fc.oneof({ arbitrary: fc.constantFrom(...OPERATORS), weight: 5 }, hostile), value },
                { requiredKeys: ['field', 'op'] },
              ),
              q: fc.option(hostile, { nil: undefined, freq: 4 }),
              sort: fc.option(fc.array(fc.record({ field: fieldName }), { maxLength: 2 }), { nil: undefined, freq: 2 }),
              facets: fc.option(fc.array(fieldName, { maxLength: 2 }), { nil: undefined, freq: 2 }),
            },
            { requiredKeys: ['filter'] },
          )
          .map((body) => JSON.parse(JSON.stringify(body)) as Record<string, unknown>),
        async (body) => {
          const answer = await send('searchCrmCustomers', { sub: 'admin', tenant, body: { ...body, count: 'exact' } });
          const context = JSON.stringify(body);
          expectSafe(answer, 'crm', context);
          if (answer.status === 200) {
            answered++;
            for (const result of answer.body.results) expect(ids.has(result.id), context).toBe(true);
            expect(answer.body.count.value).toBeLessThanOrEqual(ids.size);
          }
        },
      ),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    // Hostile values in valid places are searched for, not refused.
    expect(answered).toBeGreaterThan(RUNS / 25);
  }, 300_000);

  it(`TMF630: every attribute and operator, characteristic names, patterns and sort (${RUNS} runs)`, async () => {
    const parameter = fc.oneof(
      fc
        .tuple(fc.constantFrom(...Object.keys(TMF_FILTER_ATTRIBUTES)), fc.constantFrom('', ...Object.keys(TMF_OPERATORS).map((op) => `.${op}`)))
        .map(([a, op]) => `${a}${op}`),
      hostile.map((h) => `characteristic.${h}`),
      hostile.map((h) => `characteristic.${h}.regex`),
      hostile,
      fc.constant('sort'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(parameter, hostile), { minLength: 1, maxLength: 3 }), async (pairs) => {
        const answer = await send('listCustomer', { tenant, query: pairs });
        const context = JSON.stringify(pairs);
        expectSafe(answer, 'tmf629', context);
        if (answer.status === 200) for (const customer of answer.body) expect(ids.has(customer.id), context).toBe(true);
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  }, 300_000);

  it('leaves the projection whole: its table, and every other tenant’s rows', async () => {
    const db = await searchDatabase();
    const rows = await db.query('SELECT count(*)::int AS n FROM customer_search WHERE tenant_id = $1 AND live', [victim]);
    expect(Number(rows[0]!.n)).toBe(victimRows);
    const found = await send('searchCrmCustomers', { sub: 'admin', tenant: victim, body: { filter: { field: 'tags', op: 'containsAll', value: ['vip'] } } });
    expect(found.body.results.map((r: { name: string }) => r.name)).toEqual(['Victim One', 'Victim Two']);
  });

  it('projects a customer holding text PostgreSQL cannot (U+0000, an unpaired surrogate), and finds it', async () => {
    const odd = uniqueTenant();
    const record = { tenantId: odd, id: 'odd', name: 'Nul\u0000Name \ud800x', characteristic: [{ name: 'seg\u0000', value: 'v\u0000' }] };
    await projectCustomer(searchDocumentOf(record, searchFieldsOf([])), 1);
    const found = await searchCustomers({
      tenantId: odd,
      fields: searchFieldsOf([]),
      filter: { kind: 'compare', field: 'characteristic.seg', type: 'keyword', op: 'eq', value: 'v' },
      sort: [],
      limit: 5,
      count: false,
      facets: [],
    });
    expect(found.ids).toEqual(['odd']);
  });
});
