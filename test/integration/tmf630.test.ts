/**
 * TMF630 filtering and sorting on the TMF629 customer list of every generation (issue 26), through
 * the real handlers against DynamoDB Local and the search projection in PGlite: operators, regex,
 * characteristics, comma OR, repeated parameters AND, sort, paging by offset and cursor in full
 * pages past the table's 2,000, each answer valid against its generation's official file; bad
 * parameters are 400s naming the parameter in TMF's error format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { useLocalSearchEngine } from '../../lib/local/search-engine.ts';
import { projectFromTable } from '../../functions/search/customer-projection.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';
import { send } from '../support/send.ts';
import { tmfSchemaErrorsOf } from '../support/tmf-schema.ts';
import { isFamilyError } from '../support/error-bodies.ts';
import { writeItems } from '../../bench/seed.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys, shardOf } from '../../functions/storage/table/keys.ts';
import { toItem, type CustomerRecord } from '../../functions/storage/customers/customer-items.ts';

const tenant = uniqueTenant();
const engine = useLocalSearchEngine();
afterAll(() => engine.stop());

const CUSTOMERS = [
  { name: 'Alpha Bank', status: 'Approved', segment: 'gold', start: '2024-01-10T00:00:00Z' },
  { name: 'Beta Telco', status: 'Initialized', segment: 'silver', start: '2024-03-01T00:00:00Z' },
  { name: 'Bravo Shop', status: 'Approved', segment: 'gold', start: '2024-06-01T00:00:00Z' },
  { name: 'Charlie, Inc.', status: 'Approved', segment: undefined, start: '2023-12-01T00:00:00Z' },
];
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const c of CUSTOMERS) {
    const created = await send('createCustomer', {
      tenant,
      body: {
        name: c.name,
        status: c.status,
        engagedParty: { id: `party-${c.name.length}`, '@referredType': 'Organization' },
        validFor: { startDateTime: c.start },
        ...(c.segment ? { characteristic: [{ name: 'segment', value: c.segment }] } : {}),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[c.name] = created.body.id;
    await projectFromTable(tenant, created.body.id);
  }
}, 60_000);

type Query = Record<string, string> | [string, string][];
const list = (query: Query, operation = 'listCustomer') => send(operation, { tenant, query });
const names = (body: { name: string }[]) => body.map((c) => c.name);

describe('TMF630 on GET /customer', () => {
  it('filters with operators, regex, characteristics, comma OR and repeated AND, and sorts', async () => {
    expect(names((await list({ status: 'Approved', 'name.regex': '^b' })).body)).toEqual(['Bravo Shop']);
    // Text compares folded in both syntaxes: the pattern is folded like the names it matches.
    expect(names((await list({ 'name.regex': '^B.*(SHOP|telco)$' })).body)).toEqual(['Beta Telco', 'Bravo Shop']);
    expect(names((await list({ 'characteristic.segment': 'gold' })).body)).toEqual(['Alpha Bank', 'Bravo Shop']);
    expect(names((await list({ 'characteristic.segment': 'gold,silver', sort: '-name' })).body)).toEqual(['Bravo Shop', 'Beta Telco', 'Alpha Bank']);
    expect(names((await list({ 'characteristic.segment.regex': '^s' })).body)).toEqual(['Beta Telco']);
    const window = await list([
      ['validFor.startDateTime.gte', '2024-01-01'],
      ['validFor.startDateTime.lt', '2024-06-01T00:00:00Z'],
    ]);
    expect(names(window.body)).toEqual(['Alpha Bank', 'Beta Telco']);
    expect(window.headers['x-total-count']).toBe('2');
    // A repeated parameter must hold each time (API Gateway would have joined its values with a comma: the list reads the raw query).
    expect(
      names(
        (
          await list([
            ['name.regex', '^b'],
            ['name.regex', '^.*o$'],
          ])
        ).body,
      ),
    ).toEqual(['Beta Telco']);
    expect(names((await list({ status: 'Approved,Initialized', 'name.gt': 'b' })).body)).toEqual(['Beta Telco', 'Bravo Shop', 'Charlie, Inc.']);
    expect(names((await list({ sort: 'status,-name' })).body)).toEqual(['Charlie, Inc.', 'Bravo Shop', 'Alpha Bank', 'Beta Telco']);
    expect(names((await list({ 'engagedParty.id': `party-${'Beta Telco'.length}`, 'status.eq': 'Initialized' })).body)).toEqual(['Beta Telco']);
  });

  it('answers the same customers in every generation, each valid against its official file', async () => {
    const query = { 'characteristic.segment': 'gold', sort: '-name' };
    for (const [operation, generation] of [
      ['listCustomerV3', 'v3'],
      ['listCustomer', 'v4'],
      ['listCustomerV5', 'v5'],
    ] as const) {
      const answer = await list(query, operation);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.map((c: { id: string }) => c.id)).toEqual([ids['Bravo Shop'], ids['Alpha Bank']]);
      expect(names((await list({ ...query, fields: 'name' }, operation)).body)).toEqual(['Bravo Shop', 'Alpha Bank']);
      for (const customer of answer.body) expect(tmfSchemaErrorsOf(generation, 'Customer', customer), generation).toEqual([]);
      const whole = await list({ 'name.regex': '^alpha' }, operation);
      for (const customer of whole.body) expect(tmfSchemaErrorsOf(generation, 'Customer', customer), generation).toEqual([]);
    }
  });

  it('pages a projection query in full pages, by offset and by cursor, each customer once', async () => {
    const first = await list({ status: 'Approved', limit: '2' });
    expect(names(first.body)).toEqual(['Alpha Bank', 'Bravo Shop']);
    expect(first.headers).toMatchObject({ 'x-result-count': '2', 'x-total-count': '3' });
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.link!)![1]!;
    const next = new URL(link);
    expect(next.searchParams.get('cursor')).toBe(first.headers['x-next-cursor']);
    const rest = await list([...next.searchParams] as [string, string][]);
    expect(names(rest.body)).toEqual(['Charlie, Inc.']);
    expect(rest.headers).not.toHaveProperty('x-next-cursor');
    expect(names((await list({ status: 'Approved', offset: '1', limit: '1' })).body)).toEqual(['Bravo Shop']);
    // A cursor belongs to its query.
    const other = await list({ status: 'Initialized', cursor: first.headers['x-next-cursor']! });
    expect(other.status).toBe(400);
  });

  it('answers a bad parameter with a 400 naming it, in TMF’s error format', async () => {
    for (const [query, said] of [
      [{ 'name.regex': 'abc' }, /name\.regex.*anchored/],
      [{ 'name.regex': '^\\d+' }, /name\.regex.*escape only punctuation/],
      [{ 'name.regex': '^(?i)a' }, /name\.regex.*flags/],
      [{ 'name.regex': '^a{300}' }, /name\.regex.*255/],
      [{ 'name.regex': `^${'a'.repeat(256)}` }, /name\.regex.*256/],
      [{ 'name.regex': '^(a' }, /name\.regex.*RE2/],
      [{ colour: 'red' }, /query has unknown parameter 'colour'/],
      [{ 'name.like': 'x' }, /unknown parameter 'name\.like'/],
      [{ 'validFor.startDateTime.gt': 'yesterday' }, /validFor\.startDateTime\.gt.*date/],
      [{ 'status.gt': 'A', sort: 'colour' }, /sort.*colour/],
      [{ sort: 'name,status,id,@type' }, /sort.*at most 3/],
      [{ 'characteristic.': 'x' }, /unknown parameter/],
      [{ status: Array.from({ length: 101 }, (_, i) => `s${i}`).join(',') }, /status.*at most 100/],
    ] as const) {
      const refused = await list(query);
      expect(refused.status, JSON.stringify(query)).toBe(400);
      expect(isFamilyError('tmf629', 400, refused.body), JSON.stringify(refused.body)).toBe(true);
      expect(JSON.stringify(refused.body), JSON.stringify(query)).toMatch(said);
    }
  });
});

describe('offset past the table’s 2,000', () => {
  it('reaches every customer, in full pages from the projection', async () => {
    // 2,010 customers written straight to the table, as the bench seeds them (a create each would load the shared DynamoDB Local for half a minute).
    const big = uniqueTenant();
    const count = 2_010;
    const records: CustomerRecord[] = Array.from({ length: count }, (_, n) => ({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      tenantId: big,
      version: 1,
      sequence: 1,
      created: '2026-01-01T00:00:00.000Z',
      createdBy: 'seed',
      updated: '2026-01-01T00:00:00.000Z',
      updatedBy: 'seed',
      name: `Customer ${String(n).padStart(5, '0')}`,
      '@type': 'Customer',
      status: 'Approved',
      engagedParty: { id: `p${n}`, '@referredType': 'Organization' },
    }));
    const shards = new Map<number, number>();
    for (const r of records) shards.set(shardOf(r.id), (shards.get(shardOf(r.id)) ?? 0) + 1);
    await writeItems(db, tableName(), [
      ...records.map((r) => toItem(r, true)),
      ...[...shards].map(([shard, n]) => ({ ...keys.customerCount(big, shard), entity: 'COUNT', n })),
      ...records.map((r) => ({ ...keys.nameCount(big, r.name), entity: 'COUNT', n: 1 })),
    ]);
    await reconcileTenant(big, { limit: 500 });
    const names = records.map((r) => r.name);
    const deep = await send('listCustomer', { tenant: big, query: { offset: '2001', limit: '5', fields: 'name' } });
    expect(deep.status, JSON.stringify(deep.body)).toBe(200);
    expect(deep.body.map((c: { name: string }) => c.name)).toEqual(names.slice(2001, 2006));
    expect(deep.headers).toMatchObject({ 'x-result-count': '5', 'x-total-count': String(count) });
    const tail = await send('listCustomer', { tenant: big, query: { offset: '2008', limit: '5', fields: 'name' } });
    expect(tail.body.map((c: { name: string }) => c.name)).toEqual(names.slice(2008));
    expect(tail.headers).not.toHaveProperty('x-next-cursor');
    // Within the table's 2,000 the same list is the table's own, in the same order.
    const near = await send('listCustomer', { tenant: big, query: { offset: '1998', limit: '2', fields: 'name' } });
    expect(near.body.map((c: { name: string }) => c.name)).toEqual(names.slice(1998, 2000));
  }, 120_000);
});
