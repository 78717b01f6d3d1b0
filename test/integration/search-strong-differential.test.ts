/**
 * The subset of search DynamoDB answers itself (`consistency: strong`: a name prefix, an owner, a
 * CRM status, under `and`, by name) held to the projection's answer (issue 26): random queries of
 * that subset over a seeded tenant of real customers, each walked page by page to its end through
 * both, must list the same customers in the same order.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { useLocalSearchEngine } from '../../lib/local/search-engine.ts';
import { reconcileTenant } from '../../functions/search/reconcile.ts';
import { send } from '../support/send.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';

const QUERIES = Number(process.env.SEARCH_STRONG_QUERIES ?? 150);
const tenant = uniqueTenant();
const engine = useLocalSearchEngine();
afterAll(() => engine.stop());

// Letters only: DynamoDB's name index orders by the lower-cased name, the projection by the folded one; for these they are one order.
const NAMES = ['Ann', 'anna', 'Annabel', 'Bob', 'Bobby', 'bo', 'Carl', 'Carla', 'Dan', 'Dana', 'Eve'];
const OWNERS = ['u1', 'u2', 'u3'];
const STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER'];

beforeAll(async () => {
  const people = fc.sample(
    fc.record({
      name: fc.constantFrom(...NAMES),
      ownerId: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
      crmStatus: fc.constantFrom(...STATUSES),
    }),
    { numRuns: 60, seed: FUZZ_SEED },
  );
  for (let i = 0; i < people.length; i += 10)
    await Promise.all(
      people.slice(i, i + 10).map(async (person) => {
        const created = await send('createCrmCustomer', { sub: 'admin', tenant, body: { type: 'PERSON', ...person } });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
      }),
    );
  await reconcileTenant(tenant);
}, 120_000);

const walk = async (body: Record<string, unknown>): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await send('searchCrmCustomers', { sub: 'admin', tenant, body: { ...body, ...(cursor ? { cursor } : {}), fields: ['id'] } });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    ids.push(...page.body.results.map((r: { id: string }) => r.id));
    cursor = page.body.next;
  } while (cursor);
  return ids;
};

describe('search: DynamoDB and the projection answer the strong subset alike', () => {
  it(`for ${QUERIES} random queries of a name prefix, an owner and a CRM status, walked to the end`, async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          prefix: fc.option(fc.constantFrom('a', 'an', 'ANN', 'anna', 'b', 'bo', 'bob', 'c', 'carl', 'd', 'e', 'z'), { nil: undefined }),
          ownerId: fc.option(fc.constantFrom(...OWNERS, 'u9'), { nil: undefined }),
          crmStatus: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
          limit: fc.integer({ min: 1, max: 12 }),
        }),
        async ({ prefix, ownerId, crmStatus, limit }) => {
          const predicates = [
            ...(prefix ? [{ field: 'name', op: 'startsWith', value: prefix }] : []),
            ...(ownerId ? [{ field: 'ownerId', op: 'eq', value: ownerId }] : []),
            ...(crmStatus ? [{ field: 'crmStatus', op: 'eq', value: crmStatus }] : []),
          ];
          const filter = predicates.length === 0 ? undefined : predicates.length === 1 ? predicates[0] : { and: predicates };
          const body = { ...(filter ? { filter } : {}), limit };
          const strong = await walk({ ...body, consistency: 'strong' });
          const projected = await walk(body);
          expect(strong, JSON.stringify(body)).toEqual(projected);
          expect(new Set(strong).size).toBe(strong.length);
          if (strong.length > 0) nonEmpty++;
        },
      ),
      { numRuns: QUERIES, seed: FUZZ_SEED },
    );
    expect(nonEmpty).toBeGreaterThan(QUERIES / 3);
  }, 300_000);
});
