import { describe, expect, it } from 'vitest';
import { handler as createCasePlan } from '../../functions/bian-casemgmt/create.ts';
import { handler as updatePerformance } from '../../functions/bian-casemgmt/update-performance.ts';
import { handler as retrievePerformance } from '../../functions/bian-casemgmt/retrieve-performance.ts';
import { handler as createCrmPlan } from '../../functions/bian-crm/create.ts';
import { handler as createIncident } from '../../functions/bian-crm/create-incident.ts';
import { handler as createDevelopment } from '../../functions/bian-crm/create-development.ts';
import { handler as updateDevelopment } from '../../functions/bian-crm/update-development.ts';
import { handler as retrieveDevelopment } from '../../functions/bian-crm/retrieve-development.ts';
import { handler as updateCasePlan } from '../../functions/bian-casemgmt/update.ts';
import { handler as updateCrmPlan } from '../../functions/bian-crm/update.ts';
import { handler as controlIncident } from '../../functions/bian-crm/control-incident.ts';
import { bianCaseMgmt } from '../../functions/bian-casemgmt/operations.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { recordRequests } from '../../lib/local/request-recorder.ts';

describe('BIAN request counts (real handlers, DynamoDB Local)', () => {
  it('reads a plan and its record in one request, for Retrieve and for an action', async () => {
    const tenant = uniqueTenant();
    const plan = (await call(createCrmPlan, bianCrm.bianCrmCreate, { tenant, body: {} })).body.CustomerRelationshipManagementPlanReference;
    const params = { customerrelationshipmanagementid: plan, developmentid: '' };
    params.developmentid = (await call(createDevelopment, bianCrm.bianCrmCreateDevelopment, { tenant, params, body: {} })).body.DevelopmentReference;
    const retrieved = await recordRequests(() => call(retrieveDevelopment, bianCrm.bianCrmRetrieveDevelopment, { tenant, params }));
    expect(retrieved.map((r) => r.command)).toEqual(['BatchGetItemCommand']);
    const updated = await recordRequests(() =>
      call(updateDevelopment, bianCrm.bianCrmUpdateDevelopment, { tenant, params, body: { CustomerDevelopmentTaskType: { Text: 'Upsell' } } }),
    );
    expect(updated.map((r) => r.command)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // An incident: plan and resolution targets in one read at creation; plan, incident and targets for a priority change.
    const commands = (records: { command: string }[]) => records.map((r) => r.command);
    let incident = '';
    const created = await recordRequests(async () => {
      incident = (await call(createIncident, bianCrm.bianCrmCreateIncident, { tenant, params, body: {} })).body.IncidentReference;
    });
    expect(commands(created)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    const raised = await recordRequests(() =>
      call(controlIncident, bianCrm.bianCrmControlIncident, {
        tenant,
        params: { ...params, incidentid: incident },
        body: { ControlActionType: 'raisePriority' },
      }),
    );
    expect(commands(raised)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // A plan update that leaves the customer reference alone does not look the customer up again.
    const planUpdate = await recordRequests(() =>
      call(updateCrmPlan, bianCrm.bianCrmUpdate, { tenant, params, body: { CustomerInsightType: { Text: 'Strategic' } } }),
    );
    expect(commands(planUpdate)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    // A case plan is read once, not as "the plan" and again as "the record".
    const casePlan = (await call(createCasePlan, bianCaseMgmt.bianCaseMgmtCreate, { tenant, body: {} })).body.CustomerCaseManagementPlanReference;
    const caseUpdate = await recordRequests(() =>
      call(updateCasePlan, bianCaseMgmt.bianCaseMgmtUpdate, {
        tenant,
        params: { customercasemanagementid: casePlan },
        body: { CustomerCaseServicePerformanceGoals: '90%' },
      }),
    );
    expect(caseUpdate.map((r) => r.command)).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect(caseUpdate[0]!.readUnits).toBe(1);
  });
});

describe('Performance Retrieve cost (real handlers, DynamoDB Local)', () => {
  it('reads the live statistics of 1,000 incidents with one request', async () => {
    const tenant = uniqueTenant();
    const casePlan = (await call(createCasePlan, bianCaseMgmt.bianCaseMgmtCreate, { tenant, body: {} })).body.CustomerCaseManagementPlanReference;
    await call(updatePerformance, bianCaseMgmt.bianCaseMgmtUpdatePerformance, {
      tenant,
      params: { customercasemanagementid: casePlan, performanceid: 'live' },
      body: {},
    });
    const crmPlan = (await call(createCrmPlan, bianCrm.bianCrmCreate, { tenant, body: {} })).body.CustomerRelationshipManagementPlanReference;
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          call(createIncident, bianCrm.bianCrmCreateIncident, { tenant, params: { customerrelationshipmanagementid: crmPlan }, body: {} }),
        ),
      );
    }
    let answer: Awaited<ReturnType<typeof call>> | undefined;
    const records = await recordRequests(async () => {
      answer = await call(retrievePerformance, bianCaseMgmt.bianCaseMgmtRetrievePerformance, {
        tenant,
        params: { customercasemanagementid: casePlan, performanceid: 'live' },
      });
    });
    expect(answer!.body.CaseStatistics).toMatchObject({ open: 1000, resolved: 0, byPriority: { medium: { open: 1000 } } });
    // Plan, record and statistics in one BatchGet: no read grows with the number of incidents.
    expect(records.map((r) => r.command)).toEqual(['BatchGetItemCommand']);
    console.log(`Performance Retrieve with 1,000 incidents: ${records.length} requests, ${records.reduce((s, r) => s + r.readUnits, 0)} read units`);
  }, 120_000);
});
