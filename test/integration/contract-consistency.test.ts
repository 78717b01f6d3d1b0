/**
 * Rules every family's contract follows alike, against DynamoDB Local through the real handlers:
 * TMF629's `fields` as each generation's conformance kit expects it; BIAN Case Management answering
 * its records in one shape; `If-Match` honoured exactly where the catalog declares 412; one rule for
 * query parameters (an undeclared one is a 400 saying so, on single resources and lists alike) and
 * every `limit` bounded by its catalog entry.
 */
import { toJSONSchema } from 'zod';
import type { ZodMiniType } from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import type { Operation } from '../../functions/http/operation.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { byName, send } from '../support/send.ts';
import { buildFixture, fixtureParam, type Fixture } from '../support/fuzz.ts';
import { isFamilyError } from '../support/error-bodies.ts';

/** Path parameters of an operation from the fixture (`{id}` by where it is: a hub, a webhook, an import, a customer). */
const paramsOf = (op: Operation, fixture: Fixture): Record<string, string> =>
  Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, fixtureParam(op, name!, fixture)!]));

const moon = { name: 'Moon Football Club', engagedParty: { id: '500', '@referredType': 'Organization' } };

describe('TMF629 fields: each generation follows its conformance kit', () => {
  it('v3 answers exactly the attributes asked for (R18 TC_Cust_N4); v4 and v5 keep id, href and @type beside them', async () => {
    const tenant = uniqueTenant();
    const created = (await send('createCustomer', { tenant, body: moon })).body;
    const id = created.id as string;
    const v3 = await send('retrieveCustomerV3', { tenant, params: { id }, query: { fields: 'name' } });
    expect(v3.status).toBe(200);
    expect(v3.body).toEqual({ name: moon.name });
    const v3List = await send('listCustomerV3', { tenant, query: { fields: 'name' } });
    expect(v3List.body).toEqual([{ name: moon.name }]);
    const v4 = await send('retrieveCustomer', { tenant, params: { id }, query: { fields: 'name' } });
    expect(v4.body).toEqual({ id, href: created.href, '@type': 'Customer', name: moon.name });
    const v5 = await send('retrieveCustomerV5', { tenant, params: { id }, query: { fields: 'name' } });
    expect(v5.body).toEqual({ id, href: expect.stringContaining(`/tmf-api/customer/v5/customer/${id}`), '@type': 'Customer', name: moon.name });
    const v5List = await send('listCustomerV5', { tenant, query: { fields: 'name' } });
    expect(v5List.body).toEqual([v5.body]);
    // Asked for, id and href are answered in v3 too.
    expect((await send('retrieveCustomerV3', { tenant, params: { id }, query: { fields: 'id,name' } })).body).toEqual({ id, name: moon.name });
  });
});

describe('BIAN Customer Case Management: one shape for a record', () => {
  it('answers Retrieve with the record as Update and Request do (bare), and keeps it under its kind’s name for callers of the wrapped shape', async () => {
    const tenant = uniqueTenant();
    const plan = (await send('bianCaseMgmtCreate', { tenant, body: { CustomerCaseManagementPlanPeriod: '2026-Q4' } })).body;
    const params = { customercasemanagementid: plan.CustomerCaseManagementPlanReference as string };
    const updated = await send('bianCaseMgmtUpdate', { tenant, params, body: { CustomerCaseTrainingPlan: 'Onboarding' } });
    const retrieved = await send('bianCaseMgmtRetrieve', { tenant, params });
    expect(retrieved.status).toBe(200);
    expect(retrieved.body).toEqual({ ...updated.body, CustomerCaseManagementPlan: updated.body });
    const rules = await send('bianCaseMgmtUpdateRules', { tenant, params: { ...params, rulesid: 'r-1' }, body: { CustomerCaseDecisionCriterion: 'Impact' } });
    const rulesNow = await send('bianCaseMgmtRetrieveRules', { tenant, params: { ...params, rulesid: 'r-1' } });
    expect(rulesNow.body).toEqual({ ...rules.body, Rules: rules.body });
    const performance = await send('bianCaseMgmtUpdatePerformance', { tenant, params: { ...params, performanceid: 'p-1' }, body: {} });
    const performanceNow = await send('bianCaseMgmtRetrievePerformance', { tenant, params: { ...params, performanceid: 'p-1' } });
    expect(performanceNow.body).toEqual({ ...performance.body, Performance: performance.body });
  });
});

/** A request body that passes each changing operation's schema (the If-Match check comes after it). */
const BODIES: Record<string, (fixture: Fixture, other: string) => unknown> = {
  replaceCustomer: () => moon,
  replaceCustomerV3: () => ({ name: 'Moon' }),
  updateCrmStatus: () => ({ crmStatus: 'PROSPECT' }),
  setNextAction: () => ({ nextAction: 'Call back', nextActionDueDate: null }),
  shareCrmCustomer: () => ({ access: 'read' }),
  putTeam: () => ({ name: 'Team' }),
  putRole: () => ({ read: 'team', write: 'none' }),
  putUser: () => ({ teams: [], roles: [] }),
  putAccessSettings: () => ({ defaultRole: 'admin', rateLimits: { tenantPerSecond: 10, userPerSecond: 5 } }),
  mergeCrmCustomer: (_fixture, other) => ({ duplicateIds: [other] }),
  unmergeCrmCustomer: (_fixture, other) => ({ duplicateId: other }),
  bianCrmControl: () => ({ ControlActionType: 'suspend' }),
  bianCrmControlIncident: () => ({ ControlActionType: 'suspend' }),
  bianCrmExchange: () => ({ ExchangeActionType: 'accept' }),
  bianCrmExchangeDevelopment: () => ({ ExchangeActionType: 'accept' }),
  bianCrmExchangeIncident: () => ({ ExchangeActionType: 'accept' }),
  startImport: () => ({ parts: [{ partNumber: 1, etag: '"0"' }] }),
};
/**
 * Operations that make something new (or queue a delivery, again or as a test; or presign an upload's
 * URLs again): they change no version of the resource they name, so no If-Match.
 */
const makesNew = (op: Operation): boolean =>
  op.method === 'POST' &&
  (/^(create|register|bian\w*Create)/.test(op.name) || ['redeliverWebhookDelivery', 'testWebhook', 'renewImportUpload'].includes(op.name));

describe('If-Match: honoured exactly where the catalog declares 412', () => {
  it('answers 412 to a stale If-Match on every change of an existing resource, each declaring 412; operations that make something new declare none', async () => {
    const fixture = await buildFixture(uniqueTenant());
    const crmCustomer = async (name: string) =>
      (await send('createCrmCustomer', { tenant: fixture.tenant, sub: fixture.sub, body: { name, type: 'ORGANIZATION' } })).body.id as string;
    const other = await crmCustomer('Fuzz Twin');
    // A restore acts on a deleted customer.
    const deleted = await crmCustomer('Fuzz Gone');
    expect((await send('deleteCrmCustomer', { tenant: fixture.tenant, sub: fixture.sub, params: { id: deleted } })).status).toBe(204);
    // A search is a read sent as POST (its query is a body): it changes nothing, so it has no If-Match.
    const changes = operations.filter((op) => op.method !== 'GET' && op.access !== 'read' && !makesNew(op));
    expect(changes.length).toBeGreaterThan(40);
    for (const op of changes) {
      const body = op.request?.body ? (BODIES[op.name]?.(fixture, other) ?? {}) : undefined;
      const answer = await send(op.name, {
        tenant: fixture.tenant,
        sub: fixture.sub,
        params: op.name === 'restoreCrmCustomer' ? { id: deleted } : paramsOf(op, fixture),
        headers: { 'if-match': '"999999"' },
        ...(body === undefined ? {} : { body }),
      });
      expect(answer.status, `${op.name}: ${JSON.stringify(answer.body)}`).toBe(412);
      expect(isFamilyError(op.family, 412, answer.body), op.name).toBe(true);
      expect(op.responses(), op.name).toHaveProperty('412');
    }
    for (const op of operations.filter(makesNew)) expect(op.responses(), op.name).not.toHaveProperty('412');
  }, 120_000);
});

describe('query parameters: one rule for single resources and lists, in every family', () => {
  it('refuses a parameter the operation does not declare with a 400 that says it is the query’s, and accepts those it declares', async () => {
    const fixture = await buildFixture(uniqueTenant());
    const reads = operations.filter((op) => op.method === 'GET');
    for (const op of reads) {
      const answer = await send(op.name, { tenant: fixture.tenant, sub: fixture.sub, params: paramsOf(op, fixture), query: { colour: 'red' } });
      expect(answer.status, `${op.name}: ${JSON.stringify(answer.body)}`).toBe(400);
      expect(isFamilyError(op.family, 400, answer.body), op.name).toBe(true);
      expect(JSON.stringify(answer.body), op.name).toContain("query has unknown parameter 'colour'");
      expect(JSON.stringify(answer.body), op.name).not.toContain('body has');
    }
    const tenant = fixture.tenant;
    const id = fixture.ids.id!;
    expect((await send('retrieveCustomer', { tenant, params: { id }, query: { fields: 'name' } })).status).toBe(200);
    expect((await send('listCustomer', { tenant, query: { fields: 'name', limit: '5', offset: '0', name: 'Fuzz Target' } })).status).toBe(200);
    expect((await send('getCrmCustomer', { tenant, params: { id } })).status).toBe(200);
    expect((await send('listCrmCustomers', { tenant, query: { limit: '5', q: 'Fuzz' } })).status).toBe(200);
    expect((await send('exportCrmCustomer', { tenant, params: { id }, query: { limit: '500' } })).status).toBe(200);
  });

  it('bounds every limit by its catalog entry: the largest passes, one more is a 400 naming the range', async () => {
    const fixture = await buildFixture(uniqueTenant());
    const limits: [string, number][] = [
      ['listCustomer', 1000],
      ['listCustomerV3', 1000],
      ['listCustomerV5', 1000],
      ['listCrmCustomers', 200],
      ['listCrmCustomersByOwner', 200],
      ['listCrmCustomersByStatus', 200],
      ['listMyCrmCustomers', 200],
      ['listOverdueActions', 200],
      ['listActivities', 200],
      ['listOpportunities', 200],
      ['exportCrmCustomer', 500],
      ['findCrmDuplicates', 100],
      ['listWebhookDeliveries', 100],
      ['listEvents', 100],
      ['listFields', 500],
      ['listTeams', 500],
      ['listRoles', 500],
      ['listUsers', 500],
      ['listImportResults', 1000],
    ];
    // What each query schema declares, as its JSON Schema says (the schemas are built on first use: z.lazy).
    const parameters = (query: ZodMiniType) => (toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {};
    const declaring = operations.filter((op) => op.request?.query && 'limit' in parameters(op.request.query));
    expect(declaring.map((op) => op.name).sort()).toEqual(limits.map(([name]) => name).sort());
    for (const [name, max] of limits) {
      const op = byName(name);
      const ask = (limit: string) => send(name, { tenant: fixture.tenant, sub: fixture.sub, params: paramsOf(op, fixture), query: { limit } });
      expect((await ask(String(max))).status, name).toBe(200);
      for (const wrong of [String(max + 1), '0', 'ten', '']) {
        const refused = await ask(wrong);
        expect(refused.status, `${name} limit=${wrong}`).toBe(400);
        expect(isFamilyError(op.family, 400, refused.body), name).toBe(true);
        expect(JSON.stringify(refused.body), `${name} limit=${wrong}`).toContain(`limit must be a whole number from 1 to ${max}`);
      }
    }
    const deep = await send('listCustomer', { tenant: fixture.tenant, query: { offset: '1000000001' } });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/offset must be a whole number from 0 to 1000000000/);
  }, 60_000);
});
