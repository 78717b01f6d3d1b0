/**
 * The property-based fuzz test of one family (test/integration/fuzz-*.test.ts): for every catalog
 * operation of the family, requests generated from its schemas and around them (test/support/
 * arbitraries.ts) against the real handler, its real middleware and DynamoDB Local. For every
 * answer: never a 5xx; an error is in the family's error body; a refused request (4xx) sent no
 * write to DynamoDB — so it changed nothing and emitted no event (events are written only in the
 * change's own transaction). Seeded and bounded: `FUZZ_SEED` and `FUZZ_RUNS` (runs per operation)
 * reproduce or widen a run; a failure prints the seed, the path and the smallest failing request.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import type { Family, Operation } from '../../functions/http/operation.ts';
import { call, uniqueTenant, type CallOptions } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';
import { importsSettled } from '../../lib/local/imports-local.ts';
import { bodyFor, headersFor, paramFor, queryFor } from './arbitraries.ts';
import { isFamilyError } from './error-bodies.ts';
import { recordDelivery } from '../../functions/storage/webhooks/webhook-deliveries.ts';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261129);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 150);

type Handler = Parameters<typeof call>[0];
const ROOT = join(import.meta.dirname, '..', '..');
const handlerOf = async (op: Operation): Promise<Handler> => ((await import(join(ROOT, op.handler))) as { handler: Handler }).handler;
const byName = (name: string): Operation => operations.find((op) => op.name === name)!;

/** A path parameter's value from the fixture: `{id}` by where it is (a hub, a webhook, an import, else a customer), any other by its name. */
export const fixtureParam = (op: Operation, name: string, fixture: Fixture): string | undefined =>
  name !== 'id'
    ? fixture.ids[name]
    : op.path.includes('/hub/')
      ? fixture.ids.hubId
      : op.path.includes('/webhooks/')
        ? fixture.ids.webhookId
        : op.path.includes('/imports/')
          ? fixture.ids.importId
          : fixture.ids.id;

/** Real resources of one tenant, so generated requests reach past "not found" into the handlers' own checks. */
export interface Fixture {
  tenant: string;
  sub: string;
  /** Path parameter values by name; `hubId` for `{id}` under /hub, `webhookId` under /webhooks, `importId` under /imports. */
  ids: Record<string, string>;
}

const run = async (name: string, fixture: Fixture, options: CallOptions) => {
  const op = byName(name);
  const answer = await call(await handlerOf(op), op, { tenant: fixture.tenant, sub: fixture.sub, ...options });
  if (answer.status >= 300) throw new Error(`fixture ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, string>;
};

/** One of everything an operation's path can name, in a fresh tenant. */
export const buildFixture = async (tenant: string): Promise<Fixture> => {
  const fixture: Fixture = { tenant, sub: 'fuzz-user', ids: { ownerId: 'fuzz-user', status: 'LEAD', tag: 'vip', grantee: 'user:fuzz-friend' } };
  const { ids } = fixture;
  ids.id = (await run('createCrmCustomer', fixture, { body: { name: 'Fuzz Target', type: 'ORGANIZATION', ownerId: 'fuzz-user', tags: ['vip'] } })).id!;
  ids.activityId = (await run('createActivity', fixture, { params: { id: ids.id }, body: { type: 'TASK', subject: 'Call back' } })).id!;
  ids.opportunityId = (await run('createOpportunity', fixture, { params: { id: ids.id }, body: { name: 'Upsell' } })).id!;
  ids.hubId = (await run('registerListener', fixture, { body: { callback: 'https://listener.example.com/hook' } })).id!;
  ids.customerrelationshipmanagementid = (await run('bianCrmCreate', fixture, { body: {} })).CustomerRelationshipManagementPlanReference!;
  const plan = { customerrelationshipmanagementid: ids.customerrelationshipmanagementid };
  ids.developmentid = (await run('bianCrmCreateDevelopment', fixture, { params: plan, body: {} })).DevelopmentReference!;
  ids.incidentid = (await run('bianCrmCreateIncident', fixture, { params: plan, body: {} })).IncidentReference!;
  ids.contactid = (await run('bianCrmCreateContact', fixture, { params: plan, body: {} })).ContactReference!;
  ids.customercasemanagementid = (await run('bianCaseMgmtCreate', fixture, { body: {} })).CustomerCaseManagementPlanReference!;
  const casePlan = { customercasemanagementid: ids.customercasemanagementid };
  ids.rulesid = 'rules-1';
  ids.performanceid = 'performance-1';
  await run('bianCaseMgmtUpdateRules', fixture, { params: { ...casePlan, rulesid: ids.rulesid }, body: {} });
  await run('bianCaseMgmtUpdatePerformance', fixture, { params: { ...casePlan, performanceid: ids.performanceid }, body: {} });
  // An import job awaiting its upload: `{id}` under /imports names it.
  ids.importId = (await run('createImport', fixture, { body: { object: 'customers', mode: 'upsert', matchKey: 'email', format: 'csv', bytes: 100 } })).id!;
  ids.webhookId = (await run('createWebhook', fixture, { body: { url: 'https://hooks.example.com/fuzz', eventTypes: ['*'] } })).id!;
  ids.deliveryId = 'FUZZDELIVERY';
  await recordDelivery({
    tenantId: tenant,
    webhookId: ids.webhookId,
    eventId: ids.deliveryId,
    eventType: 'CustomerCreated',
    event: { pk: `T#${tenant}#CUSTOMER#${ids.id}`, sk: 'EVENT#FUZZ' },
    status: 'failed',
    attempt: { at: new Date().toISOString(), statusCode: 500, latencyMs: 1 },
  });
  ids.object = 'customer';
  ids.key = (await run('createField', fixture, { params: { object: 'customer' }, body: { key: 'fuzz_field', label: 'Fuzz', type: 'string' } })).key!;
  ids.roleName = (await run('putRole', fixture, { params: { roleName: 'fuzz-role' }, body: { read: 'team', write: 'own' } })).name!;
  ids.teamId = (await run('putTeam', fixture, { params: { teamId: 'fuzz-team' }, body: { name: 'Fuzz team', roles: ['fuzz-role'] } })).id!;
  ids.userId = (await run('putUser', fixture, { params: { userId: 'fuzz-member' }, body: { teams: ['fuzz-team'], roles: ['rep'] } })).id!;
  return fixture;
};

/** Every write the recorder saw but the caller's entry in the user directory (kept for every write request, refused or not). */
const writesOf = (requests: Awaited<ReturnType<typeof recordRequests>>) => requests.filter((r) => r.write && !r.key.includes('#USER#'));

const requestFor = (op: Operation, fixture: Fixture) => {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = fc.record(
    Object.fromEntries(
      names.map((name) => {
        return [name, paramFor(fixtureParam(op, name, fixture))];
      }),
    ),
  );
  const accepted = Object.keys(op.request?.body ?? {});
  const schemas = Object.values(op.request?.body ?? {});
  const body: fc.Arbitrary<{ body?: unknown; rawBody?: string }> =
    schemas.length > 0
      ? fc.oneof(
          { arbitrary: fc.oneof(...schemas.map(bodyFor)).map((value) => ({ body: value })), weight: 12 },
          { arbitrary: fc.string({ maxLength: 40 }).map((raw) => ({ rawBody: raw })), weight: 1 },
        )
      : fc.oneof({ arbitrary: fc.constant({}), weight: 6 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ body: value })), weight: 1 });
  return fc.record({ params, query: queryFor(op.request?.query), headers: headersFor(accepted), body });
};

/** Fuzzes every operation of `family` against `fixture`; the reads first, the deletes last. */
export const fuzzFamily = async (family: Family, fixture: Fixture): Promise<{ operations: number; cases: number; statuses: Record<number, number> }> => {
  const order = (op: Operation) => (op.method === 'GET' ? 0 : op.method === 'DELETE' ? 2 : 1);
  const ops = operations.filter((op) => op.family === family).sort((a, b) => order(a) - order(b));
  const statuses: Record<number, number> = {};
  let cases = 0;
  for (const op of ops) {
    const handler = await handlerOf(op);
    await fc.assert(
      fc.asyncProperty(requestFor(op, fixture), async ({ params, query, headers, body }) => {
        let answer: Awaited<ReturnType<typeof call>> | undefined;
        // A job an earlier case started (an import, a revert, an export) runs in the background: it ends before this case is recorded.
        await importsSettled();
        const requests = await recordRequests(async () => {
          answer = await call(handler, op, { tenant: fixture.tenant, sub: fixture.sub, params, query, headers, ...body });
        });
        cases++;
        const { status } = answer!;
        statuses[status] = (statuses[status] ?? 0) + 1;
        const described = `${op.name} answered ${status} ${JSON.stringify(answer!.body)?.slice(0, 300)}`;
        expect(status, described).toBeLessThan(500);
        if (status >= 400) {
          expect(isFamilyError(op.family, status, answer!.body), described).toBe(true);
          expect(
            writesOf(requests).map((r) => r.command),
            `${described}: a refused request wrote`,
          ).toEqual([]);
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }
  return { operations: ops.length, cases, statuses };
};

/** The fuzz test of one family: one file per family, so the four run side by side. */
export const describeFuzz = (family: Family): void => {
  describe(`fuzz: every ${family} operation, generated requests from its schemas and around them`, () => {
    it(`never answers 5xx, always errs in the family's body, and writes nothing when it refuses (seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per operation)`, async () => {
      const report = await fuzzFamily(family, await buildFixture(uniqueTenant()));
      expect(report.cases).toBe(report.operations * FUZZ_RUNS);
      // The generated requests reach past validation: some are accepted, some refused.
      expect(Object.keys(report.statuses).filter((status) => Number(status) < 300).length, JSON.stringify(report.statuses)).toBeGreaterThan(0);
      process.stdout.write(`fuzz ${family}: ${report.cases} cases over ${report.operations} operations, answers ${JSON.stringify(report.statuses)}\n`);
    }, 600_000);
  });
};
