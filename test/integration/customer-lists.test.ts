import { encodeCursor } from '../../functions/storage/table/list-cursor.ts';
import { describe, expect, it } from 'vitest';
import { handler as createCustomer } from '../../functions/crm/create-customer.ts';
import { handler as listCustomers } from '../../functions/crm/list-customers.ts';
import { handler as listByOwner } from '../../functions/crm/list-customers-by-owner.ts';
import { crm } from '../../functions/crm/operations.ts';
import { LIST_SHARDS, shardOf } from '../../functions/storage/table/keys.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';

/** Pages through a list with its cursor; every page's requests are recorded. */
const pageThrough = async (list: (cursor?: string) => Promise<Awaited<ReturnType<typeof call>>>) => {
  const seen: Record<string, unknown>[] = [];
  const requestsPerPage: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    let answer: Awaited<ReturnType<typeof call>> | undefined;
    requestsPerPage.push((await recordRequests(async () => (answer = await list(cursor)))).length);
    expect(answer!.status).toBe(200);
    seen.push(...(answer!.body as Record<string, unknown>[]));
    cursor = answer!.headers['x-next-cursor'];
    if (!cursor) return { seen, requestsPerPage };
  }
  throw new Error('the list never ended');
};

describe('sharded customer lists (real handlers, DynamoDB Local)', () => {
  it('merges the shards in name order: every customer exactly once across pages, each page a bounded number of requests', async () => {
    const tenant = uniqueTenant();
    const names = Array.from({ length: 41 }, (_, i) => `Client ${String((i * 17) % 41).padStart(2, '0')}${i % 5 === 0 ? ' Ltd' : ''}`);
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      ids.push(
        String(
          (
            await call(createCustomer, crm.createCrmCustomer, {
              tenant,
              body: { name, type: 'ORGANIZATION', ownerId: i % 2 ? 'ann' : 'bob', tags: i % 3 ? [] : ['vip'] },
            })
          ).body.id,
        ),
      );
    }
    // The customers really are spread over the shards.
    expect(new Set(ids.map((id) => shardOf(id))).size).toBeGreaterThan(LIST_SHARDS / 2);
    const { seen, requestsPerPage } = await pageThrough((cursor) =>
      call(listCustomers, crm.listCrmCustomers, { tenant, query: { limit: '6', ...(cursor ? { cursor } : {}) } }),
    );
    const expected = ids
      .map((id, i) => ({ id, key: `${names[i]!.toLowerCase()}#${id}` }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((e) => e.id);
    expect(seen.map((c) => c.id)).toEqual(expected);
    // A page: at most two Queries per shard (a first small page, one refill) and one BatchGetItem.
    for (const requests of requestsPerPage) expect(requests).toBeLessThanOrEqual(2 * LIST_SHARDS + 1);

    const owned = await pageThrough((cursor) =>
      call(listByOwner, crm.listCrmCustomersByOwner, { tenant, params: { ownerId: 'ann' }, query: { limit: '4', ...(cursor ? { cursor } : {}) } }),
    );
    expect(owned.seen.map((c) => c.id).sort()).toEqual(ids.filter((_, i) => i % 2).sort());
    expect(owned.seen.every((c) => c.ownerId === 'ann')).toBe(true);

    // A post-filter (tag) reads a bounded number of rounds and may answer a short page with a cursor; all matches arrive once.
    const tagged = await pageThrough((cursor) =>
      call(listCustomers, crm.listCrmCustomers, { tenant, query: { tag: 'vip', limit: '3', ...(cursor ? { cursor } : {}) } }),
    );
    expect(tagged.seen.map((c) => c.id).sort()).toEqual(ids.filter((_, i) => i % 3 === 0).sort());
    const prefix = await pageThrough((cursor) =>
      call(listCustomers, crm.listCrmCustomers, { tenant, query: { q: 'CLIENT 1', limit: '4', ...(cursor ? { cursor } : {}) } }),
    );
    expect(prefix.seen.map((c) => String(c.name)).sort()).toEqual(names.filter((n) => n.startsWith('Client 1')).sort());
  });

  it('refuses a cursor of another list, a forged one, and one from outside the list’s range', async () => {
    const tenant = uniqueTenant();
    for (let i = 0; i < 3; i++) await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: `C${i}`, type: 'PERSON', ownerId: 'ann' } });
    const first = await call(listCustomers, crm.listCrmCustomers, { tenant, query: { limit: '1' } });
    const cursor = first.headers['x-next-cursor'];
    expect(cursor).toBeDefined();
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const listOf = (signed: string) => JSON.parse(Buffer.from(signed.split('.')[0]!, 'base64url').toString()).l as string;
    const list = listOf(cursor!);
    // Signed with the deployment's secret (as if it leaked): the positions are still checked against the list.
    const signed = (positions: unknown[]) => encodeCursor(list, positions as string[]);
    for (const bad of [
      'not base64 json',
      forge({ pk: `T#${tenant}#CUSTOMER#x` }),
      forge({ l: list, p: Array(LIST_SHARDS).fill('') }),
      signed(['x']),
      signed(Array(LIST_SHARDS).fill('a'.repeat(1100))),
      signed(Array(LIST_SHARDS).fill(7)),
    ]) {
      const answer = await call(listCustomers, crm.listCrmCustomers, { tenant, query: { cursor: bad } });
      expect(answer.status, bad).toBe(400);
    }
    expect((await call(listByOwner, crm.listCrmCustomersByOwner, { tenant, params: { ownerId: 'ann' }, query: { cursor: cursor! } })).status).toBe(400);
    expect((await call(listCustomers, crm.listCrmCustomers, { tenant: uniqueTenant(), query: { cursor: cursor! } })).status).toBe(400);
    const prefixed = await call(listCustomers, crm.listCrmCustomers, { tenant, query: { q: 'c', limit: '1' } });
    const outside = encodeCursor(listOf(prefixed.headers['x-next-cursor']!), Array(LIST_SHARDS).fill('zzz#1'));
    expect((await call(listCustomers, crm.listCrmCustomers, { tenant, query: { q: 'c', cursor: outside } })).status).toBe(400);
  });
});

describe('the TMF list’s merged order, offsets and cursors (real handlers, DynamoDB Local)', () => {
  it('pages through every customer once in DynamoDB’s byte order of the name key, for any mix of limit, offset and cursor', async () => {
    const { handler: createTmf } = await import('../../functions/tmf629/create-customer.ts');
    const { handler: listTmf } = await import('../../functions/tmf629/list-customer.ts');
    const { tmf629 } = await import('../../functions/tmf629/operations.ts');
    const tenant = uniqueTenant();
    // Names whose UTF-8 byte order differs from JavaScript's UTF-16 order (an emoji sorts after U+FFxx in UTF-8, before it in UTF-16).
    const names = [
      'zeta',
      'Alpha',
      'alpha',
      'Émile',
      'émile',
      '😀 smile',
      '\uff21 fullwidth',
      'ß',
      'Zulu',
      'beta',
      'Beta',
      'mu',
      'nu',
      'xi',
      'omicron',
      'pi',
      'rho',
      'sigma',
      'tau',
      'upsilon',
      'phi',
      'chi',
      'psi',
      'omega',
    ];
    const created: { id: string; name: string }[] = [];
    for (const name of names)
      created.push((await call(createTmf, tmf629.createCustomer, { tenant, body: { name, engagedParty: { id: 'p', '@referredType': 'Individual' } } })).body);
    const key = (c: { id: string; name: string }) => Buffer.from(`${c.name.toLowerCase()}#${c.id}`, 'utf8');
    const expected = [...created].sort((a, b) => Buffer.compare(key(a), key(b))).map((c) => c.id);
    for (const [limit, offset] of [
      [1, 0],
      [3, 2],
      [5, 7],
      [7, 1],
      [24, 0],
      [50, 3],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let first = true;
      for (let page = 0; page < 50; page++) {
        const answer = await call(listTmf, tmf629.listCustomer, {
          tenant,
          query: { limit: String(limit), ...(first ? { offset: String(offset) } : {}), ...(cursor ? { cursor } : {}) },
        });
        expect(answer.status).toBe(200);
        expect(answer.headers['x-total-count']).toBe(String(names.length));
        seen.push(...answer.body.map((c: { id: string }) => c.id));
        cursor = answer.headers['x-next-cursor'];
        first = false;
        if (!cursor) break;
      }
      expect(seen, `limit ${limit}, offset ${offset}`).toEqual(expected.slice(offset));
    }
    // Only attributes the name index carries: the page comes from the index alone, no customer item read.
    const full = await call(listTmf, tmf629.listCustomer, { tenant, query: { limit: '6', offset: '3' } });
    let slim: Awaited<ReturnType<typeof call>> | undefined;
    const requests = await recordRequests(
      async () => (slim = await call(listTmf, tmf629.listCustomer, { tenant, query: { limit: '6', offset: '3', fields: 'name,status' } })),
    );
    expect(slim!.body).toEqual(full.body.map((c: Record<string, unknown>) => ({ id: c.id, href: c.href, '@type': c['@type'], name: c.name })));
    expect(slim!.headers['x-total-count']).toBe(String(names.length));
    expect(requests.filter((r) => r.key.includes('"sk":"CUSTOMER"'))).toEqual([]);
    // An attribute the index does not carry: the items are read.
    const engaged = await recordRequests(() => call(listTmf, tmf629.listCustomer, { tenant, query: { limit: '2', fields: 'engagedParty' } }));
    expect(engaged.filter((r) => r.key.includes('"sk":"CUSTOMER"'))).toHaveLength(1);
    // An offset counts from the cursor too.
    const firstPage = await call(listTmf, tmf629.listCustomer, { tenant, query: { limit: '4' } });
    const skipped = await call(listTmf, tmf629.listCustomer, { tenant, query: { limit: '3', offset: '2', cursor: firstPage.headers['x-next-cursor']! } });
    expect(skipped.body.map((c: { id: string }) => c.id)).toEqual(expected.slice(6, 9));
  });
});
