import { describe, expect, it } from 'vitest';
import { handler as createCasePlan } from '../../functions/bian-casemgmt/create.ts';
import { handler as updatePerformance } from '../../functions/bian-casemgmt/update-performance.ts';
import { handler as retrievePerformance } from '../../functions/bian-casemgmt/retrieve-performance.ts';
import { handler as createCrmPlan } from '../../functions/bian-crm/create.ts';
import { handler as createIncident } from '../../functions/bian-crm/create-incident.ts';
import { bianCaseMgmt } from '../../functions/bian-casemgmt/operations.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { call, uniqueTenant } from '../support/api-event.ts';
import { recordRequests } from '../support/capacity.ts';

describe('Performance Retrieve cost (real handlers, DynamoDB Local)', () => {
  it('reads the live statistics of 1,000 incidents with one request', async () => {
    const tenant = uniqueTenant();
    const casePlan = (await call(createCasePlan, bianCaseMgmt.bianCaseMgmtCreate, { tenant, body: {} })).body.CustomerCaseManagementPlanReference;
    await call(updatePerformance, bianCaseMgmt.bianCaseMgmtUpdatePerformance, { tenant, params: { customercasemanagementid: casePlan, performanceid: 'live' }, body: {} });
    const crmPlan = (await call(createCrmPlan, bianCrm.bianCrmCreate, { tenant, body: {} })).body.CustomerRelationshipManagementPlanReference;
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => call(createIncident, bianCrm.bianCrmCreateIncident, { tenant, params: { customerrelationshipmanagementid: crmPlan }, body: {} })));
    }
    let answer: Awaited<ReturnType<typeof call>> | undefined;
    const records = await recordRequests(async () => {
      answer = await call(retrievePerformance, bianCaseMgmt.bianCaseMgmtRetrievePerformance, { tenant, params: { customercasemanagementid: casePlan, performanceid: 'live' } });
    });
    expect(answer!.body.Performance.CaseStatistics).toMatchObject({ open: 1000, resolved: 0, byPriority: { medium: { open: 1000 } } });
    // The plan check and the record + statistics BatchGet: no read grows with the number of incidents.
    expect(records.map((r) => r.command).sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand']);
    console.log(`Performance Retrieve with 1,000 incidents: ${records.length} requests, ${records.reduce((s, r) => s + r.readUnits, 0)} read units`);
  }, 120_000);
});
