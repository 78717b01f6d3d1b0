import { describe, expect, it } from 'vitest';
import { handler as createPlan } from '../../functions/bian-crm/create.ts';
import { handler as updatePlan } from '../../functions/bian-crm/update.ts';
import { handler as retrievePlan } from '../../functions/bian-crm/retrieve.ts';
import { handler as updateCase } from '../../functions/bian-casemgmt/update.ts';
import { handler as createCase } from '../../functions/bian-casemgmt/create.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { bianCaseMgmt } from '../../functions/bian-casemgmt/operations.ts';
import { fromItem } from '../../functions/storage/customer-items.ts';
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
