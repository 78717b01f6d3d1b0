import { describe, expect, it } from 'vitest';
import { handler as createPlan } from '../../functions/bian-crm/create.ts';
import { handler as updatePlan } from '../../functions/bian-crm/update.ts';
import { handler as retrievePlan } from '../../functions/bian-crm/retrieve.ts';
import { handler as updateCase } from '../../functions/bian-casemgmt/update.ts';
import { handler as createCase } from '../../functions/bian-casemgmt/create.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { bianCaseMgmt } from '../../functions/bian-casemgmt/operations.ts';
import { fromItem } from '../../functions/storage/customers/customer-items.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';

describe('one versioned change for every family (changeVersioned)', () => {
  it('BIAN changes answer an ETag and honour If-Match: a stale one is 412 and changes nothing', async () => {
    const tenant = uniqueTenant();
    const created = await call(createPlan, bianCrm.bianCrmCreate, { tenant, body: {} });
    const params = { customerrelationshipmanagementid: created.body.CustomerRelationshipManagementPlanReference };
    const first = await call(updatePlan, bianCrm.bianCrmUpdate, { tenant, params, body: { CustomerInsightType: { Text: 'retail' } } });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await call(updatePlan, bianCrm.bianCrmUpdate, {
      tenant,
      params,
      headers: { 'if-match': '"1"' },
      body: { CustomerInsightType: { Text: 'corporate' } },
    });
    expect(stale.status).toBe(412);
    const fresh = await call(updatePlan, bianCrm.bianCrmUpdate, {
      tenant,
      params,
      headers: { 'if-match': '"2"' },
      body: { CustomerInsightType: { Text: 'private' } },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"3"');
    expect((await call(retrievePlan, bianCrm.bianCrmRetrieve, { tenant, params })).body.CustomerInsightType).toEqual({ Text: 'private' });

    const plan = await call(createCase, bianCaseMgmt.bianCaseMgmtCreate, { tenant, body: {} });
    const caseParams = { customercasemanagementid: plan.body.CustomerCaseManagementPlanReference };
    const staleCase = await call(updateCase, bianCaseMgmt.bianCaseMgmtUpdate, {
      tenant,
      params: caseParams,
      headers: { 'if-match': '"7"' },
      body: { CustomerCaseServicePerformanceGoals: '80%' },
    });
    expect(staleCase.status).toBe(412);
    expect(
      (await call(updateCase, bianCaseMgmt.bianCaseMgmtUpdate, { tenant, params: caseParams, body: { CustomerCaseServicePerformanceGoals: '90%' } })).headers
        .etag,
    ).toBe('"2"');
  });

  it('reads a customer stored with the earlier bookkeeping names (createdAt/updatedAt) as created/updated', () => {
    const record = fromItem({
      pk: 'p',
      sk: 'CUSTOMER',
      id: 'c',
      tenantId: 't',
      name: 'Old',
      version: 3,
      sequence: 3,
      createdAt: '2024-01-01T00:00:00Z',
      createdBy: 'a',
      updatedAt: '2024-02-01T00:00:00Z',
      updatedBy: 'b',
    });
    expect(record).toMatchObject({ created: '2024-01-01T00:00:00Z', updated: '2024-02-01T00:00:00Z' });
    expect(record).not.toHaveProperty('createdAt');
    expect(record).not.toHaveProperty('updatedAt');
  });
});

describe('no refusal without a conflict (issue 13)', () => {
  it('lands 30 concurrent writers to one CRM customer — profile fields, tags and activities, without If-Match — with no 503 and every change and event kept', async () => {
    const { handler: createCustomer } = await import('../../functions/crm/create-customer.ts');
    const { handler: updateCustomer } = await import('../../functions/crm/update-customer.ts');
    const { handler: addTag } = await import('../../functions/crm/add-tag.ts');
    const { handler: createActivity } = await import('../../functions/crm/create-activity.ts');
    const { handler: getCustomer } = await import('../../functions/crm/get-customer.ts');
    const { crm } = await import('../../functions/crm/operations.ts');
    const { db, tableName } = await import('../../functions/storage/table/db.ts');
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const tenant = uniqueTenant();
    const created = await call(createCustomer, crm.createCrmCustomer, { tenant, body: { name: 'Contended', type: 'ORGANIZATION' } });
    const id = created.body.id as string;
    const fields: Record<string, string> = {
      phone: '+31 20 123',
      btw: 'NL001',
      kvk: '123',
      industry: 'banking',
      leadSource: 'fair',
      preferredLanguage: 'nl',
      region: 'west',
      subsidiaryId: 'sub-1',
      userId: 'u-9',
      website: 'https://contended.example',
      email: 'hello@contended.example',
      name: 'Contended BV',
    };
    const writers = [
      ...Object.entries(fields).map(
        ([field, value]) =>
          () =>
            call(updateCustomer, crm.updateCrmCustomer, { tenant, params: { id }, body: { [field]: value } }),
      ),
      ...Array.from({ length: 10 }, (_, i) => () => call(addTag, crm.addCrmTag, { tenant, params: { id, tag: `t${i}` } })),
      ...Array.from(
        { length: 8 },
        (_, i) => () => call(createActivity, crm.createActivity, { tenant, params: { id }, body: { type: 'NOTE', subject: `note ${i}` } }),
      ),
    ];
    expect(writers).toHaveLength(30);
    const answers = await Promise.all(writers.map((write) => write()));
    expect(answers.filter((a) => a.status >= 300).map((a, i) => `${i} ${JSON.stringify(a.body)}`)).toEqual([]);
    const final = (await call(getCustomer, crm.getCrmCustomer, { tenant, params: { id } })).body;
    expect(final).toMatchObject(fields);
    expect([...final.tags].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
    const events = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'entity = :event',
        ExpressionAttributeValues: { ':pk': `T#${tenant}#CUSTOMER#${id}`, ':event': 'EVENT' },
      }),
    );
    // The CRM's own: the create, 12 profile changes, 10 tag additions, 8 activities, one event each.
    expect(events.Items!.filter((e) => e.source === 'rapport.crm')).toHaveLength(1 + 30);
    // TMF629's listeners hear the create and the three changes of the customer's TMF view (name, email, phone).
    expect(
      events
        .Items!.filter((e) => e.source === 'rapport.tmf629')
        .map((e) => e.detailType)
        .sort(),
    ).toEqual(['CustomerAttributeValueChangeEvent', 'CustomerAttributeValueChangeEvent', 'CustomerAttributeValueChangeEvent', 'CustomerCreateEvent']);
    // Every event about the customer has its own sequence number, 1 to n (activities number their own).
    const sequences = events.Items!.filter((e) => e.detail.subject.type === 'Customer').map((e) => e.detail.sequence as number);
    expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
  });
});

describe('If-Match on every BIAN change (issue 13)', () => {
  it('answers a stale If-Match on every BIAN PUT with 412, the record unchanged and no write, and an ETag on every success', async () => {
    const { toJSONSchema } = await import('zod');
    const { join } = await import('node:path');
    const { operations } = await import('../../functions/catalog.ts');
    const { buildFixture } = await import('../support/fuzz.ts');
    const { recordRequests } = await import('../../lib/local/request-recorder.ts');
    const fixture = await buildFixture(uniqueTenant());
    const puts = operations.filter((op) => op.family.startsWith('bian') && op.method === 'PUT');
    expect(puts.length).toBeGreaterThanOrEqual(19);
    for (const op of puts) {
      const { handler } = (await import(join(import.meta.dirname, '..', '..', op.handler))) as { handler: Parameters<typeof call>[0] };
      const schema = toJSONSchema(Object.values(op.request!.body!)[0]!, { unrepresentable: 'any' }) as { properties?: Record<string, { enum?: string[] }> };
      // The smallest valid body: the action type the operation requires, when it requires one.
      const body = Object.fromEntries(
        ['ControlActionType', 'ExchangeActionType'].flatMap((name) => (schema.properties?.[name]?.enum ? [[name, schema.properties[name].enum[0]]] : [])),
      );
      const params = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, fixture.ids[name!]!]));
      let stale: Awaited<ReturnType<typeof call>> | undefined;
      const requests = await recordRequests(async () => {
        stale = await call(handler, op, { tenant: fixture.tenant, sub: fixture.sub, params, body, headers: { 'if-match': '"999999"' } });
      });
      expect(stale!.status, `${op.name}: ${JSON.stringify(stale!.body)}`).toBe(412);
      expect(
        requests.filter((r) => r.write && !r.key.includes('#USER#')),
        op.name,
      ).toEqual([]);
      const fresh = await call(handler, op, { tenant: fixture.tenant, sub: fixture.sub, params, body });
      if (fresh.status === 200) expect(fresh.headers.etag, op.name).toMatch(/^"\d+"$/);
      else expect(fresh.status, `${op.name}: ${JSON.stringify(fresh.body)}`).toBe(409); // a lifecycle refusal (e.g. a terminated plan), not a precondition
    }
  });
});
