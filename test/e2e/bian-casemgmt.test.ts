import { describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { http, token } from '../support/http.ts';
import { bianSchemaErrors } from '../support/bian-schema.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';
import { caseView, retrievedView } from '../../functions/bian-casemgmt/case-records.ts';

const CASE = '/CustomerCaseManagement';
const CRM = '/CustomerRelationshipManagement';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every answer checked against the official v12 schemas and the extensions (a Retrieve: the record, and it under its kind's name); errors as HTTPError. */
const kase = async (method: string, path: string, options: Parameters<typeof http>[2] = {}) => {
  const answer = await http(method, path, options);
  const kind = path.includes('/Rules/') ? 'Rules' : path.includes('/Performance/') ? 'Performance' : 'CustomerCaseManagementPlan';
  if (answer.status !== 200) {
    expect(bianSchemaErrors('bian-casemgmt', 'HTTPError', answer.body)).toEqual([]);
  } else if (method === 'GET') {
    expect(bianSchemaErrors('bian-casemgmt', kind, answer.body)).toEqual([]);
    expect(bianSchemaErrors('bian-casemgmt', `Retrieve${kind}Response`, answer.body)).toEqual([]);
    expect(retrievedView(kind).safeParse(answer.body).success, JSON.stringify(answer.body)).toBe(true);
  } else {
    expect(bianSchemaErrors('bian-casemgmt', kind, answer.body)).toEqual([]);
    expect(caseView(kind).safeParse(answer.body).success, JSON.stringify(answer.body)).toBe(true);
  }
  return answer;
};

const bus = async (tenant: string, source: string) =>
  (
    (await http('GET', '/_local/events', { token: null })).body as {
      source: string;
      'detail-type': string;
      detail: { tenantId: string; subject: { id: string } };
    }[]
  ).filter((e) => e.detail.tenantId === tenant && e.source === source);

describe('BIAN Customer Case Management v12 over HTTP', () => {
  it('creates, updates, requests and retrieves plans; Rules and Performance are created by Update at the client’s id', async () => {
    const tenant = uniqueTenant();
    const auth = token({ tenant });
    const created = await kase('POST', `${CASE}/Create`, {
      token: auth,
      body: { CustomerCaseManagementPlanPeriod: '2026-Q4', CustomerCasePoliciesAndGuidelines: 'Answer within a day' },
    });
    expect(created.status).toBe(200);
    const id = created.body.CustomerCaseManagementPlanReference;
    expect(created.headers.get('location')).toMatch(new RegExp(`${CASE}/${id}/Retrieve$`));
    const updated = await kase('PUT', `${CASE}/${id}/Update`, { token: auth, body: { CustomerCaseServicePerformanceGoals: '90% in target' } });
    expect(updated.body).toMatchObject({ CustomerCaseManagementPlanPeriod: '2026-Q4', CustomerCaseServicePerformanceGoals: '90% in target' });
    const requested = await kase('PUT', `${CASE}/${id}/Request`, { token: auth, body: { CustomerCasePoliciesAndGuidelines: 'Review escalation policy' } });
    expect(requested.body.ActionRecords).toHaveLength(1);
    const retrieved = await kase('GET', `${CASE}/${id}/Retrieve`, { token: auth });
    expect(retrieved.body).toEqual({ ...requested.body, CustomerCaseManagementPlan: requested.body });
    expect((await kase('POST', `${CASE}/Create`, { token: auth, body: { Unknown: 'x' } })).status).toBe(400);
    expect((await kase('PUT', `${CASE}/${id}/Update`, { token: auth, body: { CustomerCaseManagementPlanPeriod: 7 } })).status).toBe(400);
    expect((await kase('GET', `${CASE}/nope/Retrieve`, { token: auth })).status).toBe(404);
    expect((await kase('GET', `${CASE}/${id}/Retrieve`, { token: token({ tenant: uniqueTenant() }) })).status).toBe(404);

    expect((await kase('PUT', `${CASE}/${id}/Rules/r-1/Request`, { token: auth, body: { CustomerCaseDecisionCriterion: 'x' } })).status).toBe(404);
    expect((await kase('GET', `${CASE}/${id}/Rules/r-1/Retrieve`, { token: auth })).status).toBe(404);
    const rules = await kase('PUT', `${CASE}/${id}/Rules/r-1/Update`, {
      token: auth,
      body: { CustomerCaseDecisionCriterion: 'Impact', ResolutionTargets: { critical: 1, high: 4 } },
    });
    expect(rules.body).toMatchObject({ RulesReference: 'r-1', CustomerCaseManagementPlanReference: id, ResolutionTargets: { critical: 1, high: 4 } });
    await kase('PUT', `${CASE}/${id}/Rules/r-1/Update`, { token: auth, body: { CustomerCaseDecisionCriterionRules: 'Refund below 100 EUR' } });
    expect((await kase('PUT', `${CASE}/${id}/Rules/r-1/Update`, { token: auth, body: { ResolutionTargets: { high: -1 } } })).status).toBe(400);
    const rulesNow = await kase('GET', `${CASE}/${id}/Rules/r-1/Retrieve`, { token: auth });
    expect(rulesNow.body).toMatchObject({ CustomerCaseDecisionCriterion: 'Impact', CustomerCaseDecisionCriterionRules: 'Refund below 100 EUR' });
    expect(
      (await kase('PUT', `${CASE}/${id}/Rules/r-1/Request`, { token: auth, body: { CustomerCaseDecisionCriterion: 'Re-evaluate' } })).body.ActionRecords,
    ).toHaveLength(1);
    expect((await kase('PUT', `${CASE}/missing/Rules/r-1/Update`, { token: auth, body: {} })).status).toBe(404);
    const perf = await kase('PUT', `${CASE}/${id}/Performance/p-1/Update`, { token: auth, body: { CustomerCaseLoadingProjections: 'Flat' } });
    expect(perf.body.PerformanceReference).toBe('p-1');
    await kase('PUT', `${CASE}/${id}/Performance/p-1/Request`, { token: auth, body: { CustomerCaseResourceUtilization: 'Add a second shift' } });
    expect((await kase('GET', `${CASE}/${id}/Performance/p-1/Retrieve`, { token: auth })).body.CaseStatistics).toMatchObject({
      open: 0,
      resolved: 0,
    });

    const events = await bus(tenant, 'rapport.bian.casemgmt');
    expect(events.map((e) => e['detail-type'])).toEqual([
      'CustomerCaseManagementPlan/Created',
      'CustomerCaseManagementPlan/Updated',
      'CustomerCaseManagementPlan/Updated',
      'Rules/Created',
      'Rules/Updated',
      'Rules/Updated',
      'Performance/Created',
      'Performance/Updated',
    ]);
    for (const event of events) expect(eventSchemaErrors(event.source, event['detail-type'], event.detail)).toEqual([]);
  });

  it('keeps live case statistics from BIAN CRM incidents, and flags incidents past their resolution target once', async () => {
    const tenant = uniqueTenant();
    const auth = token({ tenant });
    const plan = (await kase('POST', `${CASE}/Create`, { token: auth, body: {} })).body.CustomerCaseManagementPlanReference;
    // low: 1.8 seconds, so a low incident is overdue within the test; the others are generous.
    await kase('PUT', `${CASE}/${plan}/Rules/targets/Update`, { token: auth, body: { ResolutionTargets: { low: 0.0005, medium: 24, high: 8, critical: 2 } } });
    const crmPlan = (await http('POST', `${CRM}/Create`, { token: auth, body: {} })).body.CustomerRelationshipManagementPlanReference;
    const incident = async () => (await http('POST', `${CRM}/${crmPlan}/Incident/Create`, { token: auth, body: {} })).body.IncidentReference as string;
    const control = (id: string, action: string) =>
      http('PUT', `${CRM}/${crmPlan}/Incident/${id}/Control`, { token: auth, body: { ControlActionType: action } });
    const [a, b, c, d] = [await incident(), await incident(), await incident(), await incident()];
    await control(b, 'raisePriority');
    await control(a, 'terminate'); // medium, resolved within 24 h
    await control(b, 'terminate'); // high, resolved within 8 h
    await control(c, 'lowerPriority'); // low, 1.8 s target
    await control(d, 'lowerPriority');
    await sleep(2500);
    await control(c, 'terminate'); // low, resolved after its target
    await control(d, 'suspend'); // still open (suspended counts as open), and overdue

    await kase('PUT', `${CASE}/${plan}/Performance/live/Update`, { token: auth, body: {} });
    const statistics = (await kase('GET', `${CASE}/${plan}/Performance/live/Retrieve`, { token: auth })).body.CaseStatistics;
    expect(statistics).toMatchObject({ open: 1, resolved: 3, resolvedWithinTarget: 2 });
    expect(statistics.byPriority).toMatchObject({
      low: { open: 1, resolved: 1, resolvedWithinTarget: 0 },
      medium: { open: 0, resolved: 1, resolvedWithinTarget: 1 },
      high: { open: 0, resolved: 1, resolvedWithinTarget: 1 },
      critical: { open: 0, resolved: 0, resolvedWithinTarget: 0, meanTimeToResolutionHours: null },
    });
    expect(statistics.byPriority.low.meanTimeToResolutionHours).toBeGreaterThan(0.0005);

    await http('POST', '/_local/schedules/due-sweep', { token: null });
    await http('POST', '/_local/schedules/due-sweep', { token: null });
    const overdue = (await bus(tenant, 'rapport.bian.casemgmt')).filter((e) => e['detail-type'] === 'IncidentResolutionOverdue');
    // d is open and overdue: flagged, once. c was overdue and open during the sleep above, so a due
    // sweep that another test file ran in that window may rightly have flagged it too — once at most.
    const flagged = overdue.map((e) => e.detail.subject.id as string);
    expect(flagged.filter((id) => id === d)).toEqual([d]);
    expect(flagged.filter((id) => id !== d).every((id) => id === c)).toBe(true);
    expect(new Set(flagged).size).toBe(flagged.length);
    expect(eventSchemaErrors('rapport.bian.casemgmt', 'IncidentResolutionOverdue', overdue[0]!.detail)).toEqual([]);
  });
});
