/**
 * Tenant isolation of the search projection, proven on the statements themselves: for random
 * queries (filters over every operator, sorts, cursors, counts, facets, narrowed callers), every
 * statement a search sends begins its WHERE with `tenant_id = $1` and binds the tenant as $1, and
 * no value a caller gave — field names included — appears in the SQL text (parameters only).
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { searchStatements } from '../../functions/storage/search/customer-search.ts';
import { OPERATORS, resolveFilter, resolveSort, searchFieldsOf, QueryProblem } from '../../functions/domain/search-model.ts';
import { FUZZ_SEED } from '../support/fuzz.ts';
import { toHttpError } from '../../functions/http/errors.ts';
import { toDataApiText } from '../../functions/storage/search/sql.ts';

const fields = searchFieldsOf([
  { key: 'tier', label: 'Tier', type: 'enum', searchable: true, options: [{ key: 'gold', label: 'Gold' }] },
  { key: 'score', label: 'Score', type: 'integer', searchable: true },
]);
const NAMES = [...fields.keys(), "characteristic.x'); DROP TABLE t; --", 'characteristic.$1'];
const hostile = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("'; DROP TABLE customer_search; --", '$1', '\\', '%_', 'x" OR 1=1'));
const value = fc.oneof(hostile, fc.integer(), fc.boolean(), fc.array(hostile, { minLength: 1, maxLength: 3 }), fc.constant(undefined));
const predicate = fc.record({ field: fc.constantFrom(...NAMES), op: fc.constantFrom(...OPERATORS), value });
const filter = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;

describe('every search statement is bound to its tenant, with values as parameters only', () => {
  it('for random queries', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        filter,
        fc.constantFrom(...NAMES),
        fc.boolean(),
        fc.array(fc.constantFrom('crmStatus', 'tags', 'customFields.tier'), { maxLength: 2 }),
        hostile,
        (f, sortField, narrowed, facets, tenant) => {
          let condition: ReturnType<typeof resolveFilter>;
          let sort: ReturnType<typeof resolveSort>;
          try {
            condition = resolveFilter(f, fields, Date.now(), 'filter', RE2JS);
            sort = resolveSort([{ field: sortField }], fields);
          } catch (error) {
            if (error instanceof QueryProblem) return;
            throw error;
          }
          const statements = searchStatements({
            tenantId: tenant,
            fields,
            filter: condition,
            sort,
            limit: 10,
            after: [...sort.map(() => "o'hare"), 'id-1'],
            count: true,
            facets,
            ...(narrowed
              ? {
                  access: {
                    user: "u'1",
                    roles: [],
                    teams: ['t'],
                    grantees: ["user:u'1"],
                    read: { tenant: false, own: true, teams: ['t'], shared: true },
                    write: { tenant: false, own: false, teams: [], shared: false },
                    fields: {} as never,
                  },
                }
              : {}),
          });
          for (const statement of statements) {
            expect(statement.text).toMatch(/ WHERE tenant_id = \$1 AND /);
            expect(statement.params[0]).toBe(tenant);
            for (const given of [tenant, "o'hare", "u'1", "'; DROP", '" OR 1=1', 'DROP TABLE t'])
              if (given.length > 2) expect(statement.text).not.toContain(given);
            checked++;
          }
        },
      ),
      { numRuns: 10_000, seed: FUZZ_SEED },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('the search database through the RDS Data API', () => {
  it('names parameters as the Data API does, and answers a paused cluster with 503 and Retry-After', () => {
    expect(toDataApiText('SELECT id FROM t WHERE tenant_id = $1 AND doc @> $12::jsonb AND doc->>$3::text = $4 LIMIT $2')).toBe(
      'SELECT id FROM t WHERE tenant_id = :p1 AND doc @> CAST(:p12 AS jsonb) AND doc->>CAST(:p3 AS text) = :p4 LIMIT :p2',
    );
    const resuming = Object.assign(new Error('The database is resuming'), { name: 'DatabaseResumingException' });
    const answer = toHttpError(resuming);
    expect(answer.status).toBe(503);
    expect(answer.headers).toEqual({ 'retry-after': '15' });
  });
});
