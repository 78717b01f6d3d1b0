/**
 * Search (issue 26) through the real handlers against DynamoDB Local and the projection in PGlite:
 * customers created through the CRM API, projected from the table by the projector's own code, and
 * found by built-in and custom fields, sorted, paged by cursor to the end exactly once, counted,
 * faceted; bad queries are 400 naming the parameter; a rep's search shows, counts and facets only
 * what their roles reach and cannot name a field hidden from them; a deleted customer leaves the
 * projection and an erased one leaves no value of theirs in it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ACCESS_CACHE_SECONDS = '0';
  process.env.FIELDS_CACHE_SECONDS = '0';
});

import type { EventBridgeEvent } from 'aws-lambda';
import { uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { useLocalSearchEngine } from '../../lib/local/search-engine.ts';
import { projectFromTable } from '../../functions/search/customer-projection.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';
import { handler as projector } from '../../functions/search/project-customers.ts';
import { searchDatabase } from '../../functions/storage/search/customer-search.ts';
import { newBookkeeping } from '../../functions/storage/table/bookkeeping.ts';
import { writeAccessEntry, type AccessEntries, type AccessKind } from '../../functions/storage/access/access-config.ts';
import type { EventEnvelope } from '../../functions/domain/event-envelope.ts';
import { send } from '../support/send.ts';

const tenant = uniqueTenant();
const other = uniqueTenant();
const engine = useLocalSearchEngine();
afterAll(() => engine.stop());

const admin: CallOptions = { sub: 'admin', tenant };
const put = <K extends AccessKind>(kind: K, id: string, entry: AccessEntries[K]) =>
  writeAccessEntry(tenant, kind, id, undefined, { ...entry, ...newBookkeeping('admin'), tenantId: tenant } as never, []);
const rep: CallOptions = { claims: { sub: 'rep', tenant, scope: 'rapport/read' }, decide: true };

const search = (body: Record<string, unknown>, as: CallOptions = admin) => send('searchCrmCustomers', { ...as, body });
const ids: Record<string, string> = {};

const PEOPLE = [
  { name: 'Zoë Adams', crmStatus: 'CUSTOMER', tags: ['vip', 'gold'], email: 'zoe@example.com', teamId: 'b12', tier: 'gold', score: 90 },
  { name: 'adam Brown', crmStatus: 'LEAD', tags: ['gold'], email: 'adam@example.com', teamId: 'b13', tier: 'silver', score: 40 },
  { name: 'Carla Díaz', crmStatus: 'PROSPECT', tags: [], email: 'carla@example.org', teamId: 'b12', tier: 'gold', score: 75 },
  { name: 'Dan Evans', crmStatus: 'CUSTOMER', tags: ['vip'], phone: '+31201234567', ownerId: 'rep', tier: 'bronze', score: 10 },
  { name: 'Eve Fox', crmStatus: 'LEAD', tags: ['churn-risk'], teamId: 'b13' },
];

beforeAll(async () => {
  await put('team', 'b12', { id: 'b12', name: 'Branch 12', roles: [] });
  await put('team', 'b13', { id: 'b13', name: 'Branch 13', roles: [] });
  await put('user', 'rep', { id: 'rep', teams: ['b12'], roles: ['rep'] });
  for (const [key, type, extra] of [
    ['tier', 'enum', { options: ['gold', 'silver', 'bronze'].map((k) => ({ key: k, label: k })) }],
    ['score', 'integer', {}],
    ['passport', 'string', { sensitive: true }],
  ] as const) {
    const created = await send('createField', { ...admin, params: { object: 'customer' }, body: { key, label: key, type, searchable: true, ...extra } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  for (const person of PEOPLE) {
    const { tags, tier, score, ...profile } = person;
    const created = await send('createCrmCustomer', {
      ...admin,
      body: {
        type: 'PERSON',
        ...profile,
        ...(tags.length ? { tags } : {}),
        customFields: { ...(tier ? { tier } : {}), ...(score !== undefined ? { score } : {}), passport: `P-${person.name.length}` },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[person.name] = created.body.id;
    await projectFromTable(tenant, created.body.id);
  }
  // Another tenant's customer of the same name: never in this tenant's results.
  const stranger = await send('createCrmCustomer', { sub: 'x', tenant: other, body: { name: 'Zoë Adams', type: 'PERSON', crmStatus: 'CUSTOMER' } });
  await projectFromTable(other, stranger.body.id);
}, 60_000);

const names = (body: { results: { name: string }[] }) => body.results.map((r) => r.name);

describe('POST /api/v1/crm/customers/search', () => {
  it('finds by built-in and custom fields, in and/or/not, and sorts with a stable tiebreak', async () => {
    const gold = await search({
      filter: { and: [{ field: 'customFields.tier', op: 'eq', value: 'gold' }, { not: { field: 'crmStatus', op: 'eq', value: 'LEAD' } }] },
    });
    expect(gold.status, JSON.stringify(gold.body)).toBe(200);
    expect(names(gold.body)).toEqual(['Carla Díaz', 'Zoë Adams']);
    const folded = await search({ filter: { field: 'name', op: 'startsWith', value: 'ZOE' } });
    expect(names(folded.body)).toEqual(['Zoë Adams']);
    const tagged = await search({ filter: { field: 'tags', op: 'containsAll', value: ['vip', 'gold'] } });
    expect(names(tagged.body)).toEqual(['Zoë Adams']);
    const scored = await search({
      filter: { field: 'customFields.score', op: 'between', value: [40, 80] },
      sort: [{ field: 'customFields.score', order: 'desc' }],
    });
    expect(names(scored.body)).toEqual(['Carla Díaz', 'adam Brown']);
    const noTags = await search({ filter: { field: 'tags', op: 'isEmpty' }, sort: [{ field: 'name', order: 'desc' }] });
    expect(names(noTags.body)).toEqual(['Carla Díaz']);
    const byMail = await search({ filter: { field: 'email', op: 'eq', value: 'ZOE@EXAMPLE.COM' }, fields: ['name', 'email'] });
    expect(byMail.body.results).toEqual([{ id: ids['Zoë Adams'], name: 'Zoë Adams', email: 'zoe@example.com' }]);
    const missing = await search({
      filter: {
        or: [
          { field: 'customFields.score', op: 'missing' },
          { field: 'customFields.score', op: 'lt', value: 20 },
        ],
      },
    });
    expect(names(missing.body)).toEqual(['Dan Evans', 'Eve Fox']);
    // q: every word begins a word of the name, e-mails, phones or text custom fields, or is a typo or two away from one.
    expect(names((await search({ q: 'zoe adms' })).body)).toEqual(['Zoë Adams']);
    expect(names((await search({ q: 'example.org' })).body)).toEqual(['Carla Díaz']);
    expect(names((await search({ q: 'ad', sort: [{ field: 'name', order: 'desc' }] })).body)).toEqual(['Zoë Adams', 'adam Brown']);
    expect(names((await search({ q: 'dan', filter: { field: 'crmStatus', op: 'eq', value: 'LEAD' } })).body)).toEqual([]);
    expect((await search({ q: 'a' })).status).toBe(400);
  });

  it('pages by cursor to the end, each customer exactly once, and counts and facets what matches', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({
        sort: [
          { field: 'customFields.tier', nulls: 'first' },
          { field: 'name', order: 'desc' },
        ],
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...names(page.body));
      cursor = page.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['Eve Fox', 'Dan Evans', 'Zoë Adams', 'Carla Díaz', 'adam Brown']);
    const counted = await search({
      filter: { field: 'tags', op: 'containsAny', value: ['vip', 'gold'] },
      count: 'exact',
      facets: ['crmStatus', 'tags'],
      limit: 1,
    });
    expect(counted.body.count).toEqual({ value: 3, relation: 'eq' });
    expect(counted.body.facets).toEqual({
      crmStatus: [
        { value: 'CUSTOMER', count: 2 },
        { value: 'LEAD', count: 1 },
      ],
      tags: [
        { value: 'gold', count: 2 },
        { value: 'vip', count: 2 },
      ],
    });
    // A cursor is the query's own: another query, or the cursor changed, is 400.
    const first = await search({ limit: 1 });
    expect((await search({ limit: 1, cursor: first.body.next, filter: { field: 'crmStatus', op: 'eq', value: 'LEAD' } })).status).toBe(400);
    expect((await search({ limit: 1, cursor: `${first.body.next}x` })).status).toBe(400);
  });

  it('answers a bad query with a 400 naming where it is, and never a 5xx', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filter: { field: 'nope', op: 'eq', value: 1 } }, /filter\.field: is not a field/],
      [{ filter: { field: 'name', op: 'gt', value: 3 } }, /filter\.value: must be a string/],
      [{ filter: { field: 'tags', op: 'gt', value: 'a' } }, /filter\.op: gt does not apply/],
      [{ filter: { field: 'name', op: 'contains', value: 'ab' } }, /at least 3 characters/],
      [{ filter: { and: [{ and: [{ and: [{ and: [{ field: 'name', op: 'exists' }] }] }] }] } }, /deeper than 4/],
      [{ filter: { field: 'tags', op: 'in', value: Array.from({ length: 101 }, (_, i) => `t${i}`) } }, /1 to 100 values/],
      [{ sort: [{ field: 'tags' }] }, /sort\[0\]\.field: is an array/],
      [{ facets: ['name'] }, /facets\[0\]/],
      [{ filter: { field: "name'; DROP TABLE customer_search; --", op: 'eq', value: 'x' } }, /is not a field/],
    ];
    for (const [body, message] of cases) {
      const answer = await search(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.detail).toMatch(message);
    }
    // Values reach SQL as parameters only: a quote in a value is a value.
    const quoted = await search({ filter: { field: 'characteristic.x', op: 'eq', value: "'; DROP TABLE customer_search; --" } });
    expect(quoted.status).toBe(200);
    expect((await search({})).body.results).toHaveLength(PEOPLE.length);
  });

  it('shows, counts and facets only what a rep reaches, and a field hidden from them is not a field they can search', async () => {
    const all = await search({ count: 'exact', facets: ['teamId'] }, rep);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    // The rep reads team b12 and their own customers.
    expect(names(all.body).sort()).toEqual(['Carla Díaz', 'Dan Evans', 'Zoë Adams']);
    expect(all.body.count).toEqual({ value: 3, relation: 'eq' });
    expect(all.body.facets.teamId).toEqual([{ value: 'b12', count: 2 }]);
    const hidden = await search({ filter: { field: 'customFields.passport', op: 'exists' } }, rep);
    expect(hidden.status).toBe(400);
    expect(hidden.body.detail).not.toMatch(/sensitive|hidden|passport.*P-/);
    expect((await search({ filter: { field: 'customFields.passport', op: 'exists' } })).body.results).toHaveLength(PEOPLE.length);
  });

  it('follows the table: a deleted customer leaves the results, an erased one leaves nothing of theirs in the projection', async () => {
    const id = ids['Eve Fox']!;
    expect((await send('deleteCrmCustomer', { ...admin, params: { id } })).status).toBe(204);
    await projector({ detail: { tenantId: tenant, subject: { type: 'Customer', id } } } as EventBridgeEvent<string, EventEnvelope>, {} as never);
    expect(names((await search({ filter: { field: 'name', op: 'startsWith', value: 'eve' } })).body)).toEqual([]);
    const zoe = ids['Zoë Adams']!;
    expect((await send('eraseCrmCustomer', { ...admin, params: { id: zoe } })).status).toBe(200);
    await projectFromTable(tenant, zoe);
    const db = await searchDatabase();
    const rows = await db.query(`SELECT doc::text AS doc FROM customer_search WHERE tenant_id = $1 AND id = $2`, [tenant, zoe]);
    expect(rows).toHaveLength(1);
    for (const value of ['zoë', 'zoe', 'adams', 'example.com', 'vip', 'gold']) expect(String(rows[0]!.doc).toLowerCase()).not.toContain(value);
    // A late event of an older version brings nothing back: the row keeps the newest.
    await projectFromTable(tenant, zoe);
    expect(names((await search({ filter: { field: 'tags', op: 'containsAny', value: ['vip'] } })).body)).toEqual(['Dan Evans']);
  });

  it('is rebuilt and reconciled from the table in bounded steps: missing and stale rows written, rows of customers no longer live retired, and a second run changes nothing', async () => {
    const fresh = uniqueTenant();
    const as = { sub: 'admin', tenant: fresh };
    const made: string[] = [];
    for (const name of ['Ada', 'Bea', 'Cy', 'Dee', 'Eli']) made.push((await send('createCrmCustomer', { ...as, body: { name, type: 'PERSON' } })).body.id);
    // Two were projected before: one then changed unprojected (stale), one then deleted unprojected (a live row of a customer gone).
    await projectFromTable(fresh, made[0]!);
    await projectFromTable(fresh, made[1]!);
    expect((await send('updateCrmCustomer', { ...as, params: { id: made[0]! }, body: { name: 'Ada Lovelace' } })).status).toBe(200);
    expect((await send('deleteCrmCustomer', { ...as, params: { id: made[1]! } })).status).toBe(204);
    const first = await reconcileTenant(fresh, { limit: 2 });
    expect(first).toMatchObject({ repaired: 4, retired: 1 });
    expect(first.steps).toBeGreaterThan(3);
    const all = await search({}, as);
    expect(names(all.body)).toEqual(['Ada Lovelace', 'Cy', 'Dee', 'Eli']);
    expect(await reconcileTenant(fresh, { limit: 2 })).toMatchObject({ repaired: 0, retired: 0 });
  });

  it('answers consistency: strong from DynamoDB for a name prefix, an owner and a CRM status, and says what it cannot answer so', async () => {
    const fresh = uniqueTenant();
    const as = { sub: 'admin', tenant: fresh };
    // Never projected: only the table knows them.
    for (const [name, crmStatus] of [
      ['Gina', 'LEAD'],
      ['Gil', 'CUSTOMER'],
      ['Hal', 'LEAD'],
    ] as const)
      expect((await send('createCrmCustomer', { ...as, body: { name, type: 'PERSON', crmStatus, ownerId: 'olga' } })).status).toBe(201);
    expect((await search({ filter: { field: 'name', op: 'startsWith', value: 'gi' } }, as)).body.results).toEqual([]);
    const strong = await search(
      {
        consistency: 'strong',
        filter: {
          and: [
            { field: 'name', op: 'startsWith', value: 'gi' },
            { field: 'ownerId', op: 'eq', value: 'olga' },
          ],
        },
        fields: ['name'],
      },
      as,
    );
    expect(strong.status, JSON.stringify(strong.body)).toBe(200);
    expect(strong.body).toMatchObject({ consistency: 'strong' });
    expect(strong.body.results.map((r: { name: string }) => r.name)).toEqual(['Gil', 'Gina']);
    const leads = await search({ consistency: 'strong', filter: { field: 'crmStatus', op: 'eq', value: 'LEAD' }, limit: 1 }, as);
    expect(names(leads.body)).toEqual(['Gina']);
    const rest = await search({ consistency: 'strong', filter: { field: 'crmStatus', op: 'eq', value: 'LEAD' }, limit: 1, cursor: leads.body.next }, as);
    expect(names(rest.body)).toEqual(['Hal']);
    for (const body of [
      { consistency: 'strong', q: 'gina' },
      { consistency: 'strong', count: 'exact' },
      { consistency: 'strong', filter: { field: 'tags', op: 'containsAny', value: ['vip'] } },
      { consistency: 'strong', sort: [{ field: 'created' }] },
    ]) {
      const refused = await search(body, as);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.detail).toMatch(/consistency: strong answers a name prefix, an owner and a CRM status/);
    }
  });
});
