/**
 * One realistic, successful request per catalog operation, for the warm-latency and capacity
 * tables. `seed` builds the data once (through the real handlers); each scenario's `prepare(i)`
 * does any untimed set-up the i-th call needs (a fresh record for an action that can happen only
 * once, a tag to remove) and returns the request to time. Every timed answer must be 2xx.
 */
import type { CallOptions } from '../lib/local/direct-call.ts';
import { recordDelivery } from '../functions/storage/webhooks/webhook-deliveries.ts';

/** Invokes an operation by catalog name (untimed set-up) and returns its JSON body; throws unless 2xx. */
export type Invoke = (operation: string, options: CallOptions) => Promise<Record<string, unknown>>;
export type Scenario = (i: number) => Promise<CallOptions>;

const BIAN_PLAN = {
  CustomerReference: {
    PartyReference: {
      PartyName: { Name: 'Acme BV' },
      PartyType: 'Organisation',
      PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: 'external-1' } } },
    },
  },
  CustomerInsightDescription: { Text: 'Growing logistics firm' },
};

export const seed = async (invoke: Invoke) => {
  const customer = async (name: string, extra: Record<string, unknown> = {}) =>
    String(
      (await invoke('createCrmCustomer', { body: { name, type: 'ORGANIZATION', email: 'info@example.com', ownerId: 'ann', tags: ['vip'], ...extra } })).id,
    );
  for (let n = 0; n < 30; n++)
    await customer(`Customer ${String(n).padStart(2, '0')}`, n % 3 === 0 ? { nextAction: 'Call back', nextActionDueDate: '2020-01-01T09:00:00Z' } : {});
  const main = await customer('Main Customer');
  const activityHolder = await customer('Activity Holder');
  const activities: string[] = [];
  for (let n = 0; n < 5; n++)
    activities.push(String((await invoke('createActivity', { params: { id: main }, body: { type: 'CALL', subject: `Call ${n}` } })).id));
  const opportunities: string[] = [];
  for (let n = 0; n < 3; n++)
    opportunities.push(String((await invoke('createOpportunity', { params: { id: main }, body: { name: `Deal ${n}`, value: 1000 * (n + 1) } })).id));
  const plan = async () => String((await invoke('bianCrmCreate', { body: BIAN_PLAN })).CustomerRelationshipManagementPlanReference);
  const crmPlan = await plan();
  const controlledPlan = await plan();
  const development = async () =>
    String(
      (
        await invoke('bianCrmCreateDevelopment', {
          params: { customerrelationshipmanagementid: crmPlan },
          body: { CustomerDevelopmentTaskType: { Text: 'Cross-sell' } },
        })
      ).DevelopmentReference,
    );
  const incident = async () =>
    String(
      (await invoke('bianCrmCreateIncident', { params: { customerrelationshipmanagementid: crmPlan }, body: { CustomerIncidentType: { Text: 'Complaint' } } }))
        .IncidentReference,
    );
  const contact = async () =>
    String(
      (
        await invoke('bianCrmCreateContact', {
          params: { customerrelationshipmanagementid: crmPlan },
          body: { CustomerRelationshipContactType: { Text: 'Visit' } },
        })
      ).ContactReference,
    );
  const casePlan = async () =>
    String((await invoke('bianCaseMgmtCreate', { body: { CustomerCaseManagementPlanPeriod: '2026-Q4' } })).CustomerCaseManagementPlanReference);
  const mainCasePlan = await casePlan();
  await invoke('bianCaseMgmtUpdateRules', {
    params: { customercasemanagementid: mainCasePlan, rulesid: 'rules-1' },
    body: { CustomerCaseDecisionCriterion: 'Impact' },
  });
  await invoke('bianCaseMgmtUpdatePerformance', {
    params: { customercasemanagementid: mainCasePlan, performanceid: 'perf-1' },
    body: { CustomerCaseLoadingProjections: 'Flat' },
  });
  // A webhook with a delivery log of 30 entries (written as the worker writes them: no worker runs here).
  const webhook = String((await invoke('createWebhook', { body: { url: 'https://93.184.215.14/hooks/main', eventTypes: ['*'] } })).id);
  const delivery = async (eventId: string) =>
    recordDelivery({
      tenantId: 'bench-ops',
      webhookId: webhook,
      eventId,
      eventType: 'CustomerCreated',
      event: { pk: 'T#bench-ops#CUSTOMER#x', sk: `EVENT#${eventId}` },
      status: 'failed',
      attempt: { at: new Date().toISOString(), statusCode: 500, latencyMs: 12 },
    });
  for (let n = 0; n < 30; n++) await delivery(`SEED${String(n).padStart(4, '0')}`);
  return {
    webhook,
    delivery,
    main,
    activityHolder,
    activities,
    opportunities,
    customer,
    plan,
    crmPlan,
    controlledPlan,
    development,
    incident,
    contact,
    casePlan,
    mainCasePlan,
    developmentId: await development(),
    incidentId: await incident(),
    controlledIncident: await incident(),
    contactId: await contact(),
  };
};

export const scenarios = (invoke: Invoke, s: Awaited<ReturnType<typeof seed>>): Record<string, Scenario> => {
  const plan = { customerrelationshipmanagementid: s.crmPlan };
  const casePlan = { customercasemanagementid: s.mainCasePlan };
  const fixed =
    (options: CallOptions): Scenario =>
    async () =>
      options;
  return {
    // TMF629
    listCustomer: fixed({ query: { limit: '20' } }),
    retrieveCustomer: fixed({ params: { id: s.main } }),
    createCustomer: async (i) => ({ body: { name: `TMF ${i}`, engagedParty: { id: `p${i}`, '@referredType': 'Organization' } } }),
    patchCustomer: async (i) => ({
      params: { id: s.main },
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { statusReason: `revision ${i}` },
    }),
    deleteCustomer: async (i) => ({ params: { id: await s.customer(`Doomed ${i}`) } }),
    // A tenant holds at most 100 hub registrations: each registration here is its own tenant's.
    registerListener: async (i) => ({
      tenant: `bench-hub-${i}`,
      body: { callback: `https://93.184.215.14/hooks/${i}`, query: 'eventType=CustomerCreateEvent' },
    }),
    unregisterListener: async (i) => ({
      tenant: `bench-gone-${i}`,
      params: { id: String((await invoke('registerListener', { tenant: `bench-gone-${i}`, body: { callback: `https://93.184.215.14/gone/${i}` } })).id) },
    }),
    replaceCustomer: async (i) => ({
      params: { id: s.main },
      body: { name: 'Main customer', engagedParty: { id: 'p-main', '@referredType': 'Organization' }, statusReason: `full ${i}` },
    }),
    // TMF629 v3 and v5: the same customers in their generations' shapes
    listCustomerV3: fixed({ query: { limit: '20' } }),
    retrieveCustomerV3: fixed({ params: { id: s.main } }),
    createCustomerV3: async (i) => ({ body: { name: `TMF v3 ${i}` } }),
    replaceCustomerV3: async (i) => ({ params: { id: s.main }, body: { name: 'Main customer', statusReason: `v3 full ${i}` } }),
    patchCustomerV3: async (i) => ({ params: { id: s.main }, headers: { 'content-type': 'application/merge-patch+json' }, body: { statusReason: `v3 ${i}` } }),
    deleteCustomerV3: async (i) => ({ params: { id: await s.customer(`Doomed v3 ${i}`) } }),
    registerListenerV3: async (i) => ({ tenant: `bench-hub3-${i}`, body: { callback: `https://93.184.215.14/hooks/${i}` } }),
    unregisterListenerV3: async (i) => ({
      tenant: `bench-gone3-${i}`,
      params: { id: String((await invoke('registerListenerV3', { tenant: `bench-gone3-${i}`, body: { callback: `https://93.184.215.14/gone/${i}` } })).id) },
    }),
    listCustomerV5: fixed({ query: { limit: '20' } }),
    retrieveCustomerV5: fixed({ params: { id: s.main } }),
    createCustomerV5: async (i) => ({ body: { '@type': 'Customer', name: `TMF v5 ${i}`, engagedParty: { '@type': 'PartyRef', id: `p${i}` } } }),
    patchCustomerV5: async (i) => ({ params: { id: s.main }, headers: { 'content-type': 'application/merge-patch+json' }, body: { description: `v5 ${i}` } }),
    deleteCustomerV5: async (i) => ({ params: { id: await s.customer(`Doomed v5 ${i}`) } }),
    registerListenerV5: async (i) => ({ tenant: `bench-hub5-${i}`, body: { '@type': 'Hub', callback: `https://93.184.215.14/hooks/${i}` } }),
    retrieveListenerV5: async (i) => ({
      tenant: `bench-read5-${i}`,
      params: {
        id: String(
          (await invoke('registerListenerV5', { tenant: `bench-read5-${i}`, body: { '@type': 'Hub', callback: `https://93.184.215.14/read/${i}` } })).id,
        ),
      },
    }),
    unregisterListenerV5: async (i) => ({
      tenant: `bench-gone5-${i}`,
      params: {
        id: String(
          (await invoke('registerListenerV5', { tenant: `bench-gone5-${i}`, body: { '@type': 'Hub', callback: `https://93.184.215.14/gone/${i}` } })).id,
        ),
      },
    }),
    // CRM
    listCrmCustomersByOwner: fixed({ params: { ownerId: 'ann' }, query: { limit: '20' } }),
    listCrmCustomersByStatus: fixed({ params: { status: 'LEAD' }, query: { limit: '20' } }),
    listMyCrmCustomers: fixed({ query: { limit: '20' } }),
    listOverdueActions: fixed({ query: { limit: '20' } }),
    getCrmCustomer: fixed({ params: { id: s.main } }),
    updateCrmStatus: async (i) => ({ params: { id: s.main }, body: { crmStatus: i % 2 === 0 ? 'PROSPECT' : 'LEAD' } }),
    setNextAction: async (i) => ({
      params: { id: s.main },
      body: { nextAction: 'Send proposal', nextActionDueDate: new Date(Date.UTC(2030, 0, 1 + i)).toISOString() },
    }),
    removeCrmOwner: async () => {
      await invoke('assignCrmOwner', { params: { id: s.activityHolder, ownerId: 'bob' } });
      return { params: { id: s.activityHolder } };
    },
    assignCrmOwner: async (i) => ({ params: { id: s.main, ownerId: i % 2 === 0 ? 'bob' : 'ann' } }),
    addCrmTag: async () => {
      await invoke('removeCrmTag', { params: { id: s.main, tag: 'bench' } });
      return { params: { id: s.main, tag: 'bench' } };
    },
    removeCrmTag: async () => {
      await invoke('addCrmTag', { params: { id: s.main, tag: 'bench-2' } });
      return { params: { id: s.main, tag: 'bench-2' } };
    },
    createCrmCustomer: async (i) => ({ body: { name: `CRM ${i}`, type: 'ORGANIZATION', email: `crm${i}@example.com`, ownerId: 'ann' } }),
    updateCrmCustomer: async (i) => ({ params: { id: s.main }, body: { email: `main${i}@example.com` } }),
    listCrmCustomers: fixed({ query: { limit: '20' } }),
    // A customer's life
    deleteCrmCustomer: async (i) => ({ params: { id: await s.customer(`Deleted ${i}`) } }),
    restoreCrmCustomer: async (i) => {
      const id = await s.customer(`Restored ${i}`);
      await invoke('deleteCrmCustomer', { params: { id } });
      return { params: { id } };
    },
    eraseCrmCustomer: async (i) => ({ params: { id: await s.customer(`Erased ${i}`) } }),
    exportCrmCustomer: fixed({ params: { id: s.main } }),
    findCrmDuplicates: fixed({ params: { id: s.main } }),
    mergeCrmCustomer: async (i) => ({ params: { id: await s.customer(`Survivor ${i}`) }, body: { duplicateIds: [await s.customer(`Duplicate ${i}`)] } }),
    unmergeCrmCustomer: async (i) => {
      const [survivor, duplicate] = [await s.customer(`Kept ${i}`), await s.customer(`Unmerged ${i}`)];
      await invoke('mergeCrmCustomer', { params: { id: survivor }, body: { duplicateIds: [duplicate] } });
      return { params: { id: survivor }, body: { duplicateId: duplicate } };
    },
    createActivity: async (i) => ({ params: { id: s.activityHolder }, body: { type: 'TASK', subject: `Task ${i}`, dueDate: '2030-06-01T09:00:00Z' } }),
    listActivities: fixed({ params: { id: s.main } }),
    updateActivity: async (i) => ({ params: { id: s.main, activityId: s.activities[0]! }, body: { subject: `Call ${i}` } }),
    completeActivity: async (i) => {
      const activity = await invoke('createActivity', { params: { id: s.activityHolder }, body: { type: 'TASK', subject: `To complete ${i}` } });
      return { params: { id: s.activityHolder, activityId: String(activity.id) } };
    },
    createOpportunity: async (i) => ({ params: { id: s.activityHolder }, body: { name: `Deal ${i}`, value: 5000 } }),
    listOpportunities: fixed({ params: { id: s.main } }),
    updateOpportunity: async (i) => ({ params: { id: s.main, opportunityId: s.opportunities[0]! }, body: { value: 1000 + i } }),
    // BIAN Customer Relationship Management
    bianCrmCreate: fixed({ body: BIAN_PLAN }),
    bianCrmUpdate: async (i) => ({ params: plan, body: { CustomerInsightType: { Text: `Strategic ${i}` } } }),
    bianCrmControl: async (i) => ({
      params: { customerrelationshipmanagementid: s.controlledPlan },
      body: { ControlActionType: i % 2 === 0 ? 'suspend' : 'resume' },
    }),
    bianCrmExchange: async () => ({ params: { customerrelationshipmanagementid: await s.plan() }, body: { ExchangeActionType: 'accept' } }),
    bianCrmRequest: async () => ({ params: { customerrelationshipmanagementid: await s.plan() }, body: { CustomerInsightType: { Text: 'Review budget' } } }),
    bianCrmGrant: async () => ({ params: { customerrelationshipmanagementid: await s.plan() }, body: { CustomerInsightType: { Text: 'Budget approved' } } }),
    bianCrmRetrieve: fixed({ params: plan }),
    bianCrmCreateDevelopment: fixed({ params: plan, body: { CustomerDevelopmentTaskType: { Text: 'Cross-sell' } } }),
    bianCrmUpdateDevelopment: async (i) => ({
      params: { ...plan, developmentid: s.developmentId },
      body: { CustomerDevelopmentTaskType: { Text: `Upsell ${i}` } },
    }),
    bianCrmExchangeDevelopment: async () => ({ params: { ...plan, developmentid: await s.development() }, body: { ExchangeActionType: 'accept' } }),
    bianCrmRequestDevelopment: async () => ({
      params: { ...plan, developmentid: await s.development() },
      body: { CustomerDevelopmentTaskType: { Text: 'Workshop' } },
    }),
    bianCrmRetrieveDevelopment: fixed({ params: { ...plan, developmentid: s.developmentId } }),
    bianCrmCreateIncident: fixed({ params: plan, body: { CustomerIncidentType: { Text: 'Complaint' } } }),
    bianCrmUpdateIncident: async (i) => ({ params: { ...plan, incidentid: s.incidentId }, body: { CustomerIncidentType: { Text: `Complaint ${i}` } } }),
    bianCrmControlIncident: async (i) => ({
      params: { ...plan, incidentid: s.controlledIncident },
      body: { ControlActionType: i % 2 === 0 ? 'raisePriority' : 'lowerPriority' },
    }),
    bianCrmExchangeIncident: async () => ({ params: { ...plan, incidentid: await s.incident() }, body: { ExchangeActionType: 'confirm' } }),
    bianCrmCaptureIncident: async () => ({
      params: { ...plan, incidentid: await s.incident() },
      body: { CustomerIncidentDescription: { Text: 'Driver was sick' } },
    }),
    bianCrmRetrieveIncident: fixed({ params: { ...plan, incidentid: s.incidentId } }),
    bianCrmCreateContact: fixed({ params: plan, body: { CustomerRelationshipContactType: { Text: 'Visit' } } }),
    bianCrmUpdateContact: async (i) => ({ params: { ...plan, contactid: s.contactId }, body: { CustomerRelationshipContactType: { Text: `Visit ${i}` } } }),
    bianCrmRequestContact: async () => ({
      params: { ...plan, contactid: await s.contact() },
      body: { CustomerRelationshipContactType: { Text: 'Follow-up' } },
    }),
    bianCrmRetrieveContact: fixed({ params: { ...plan, contactid: s.contactId } }),
    // Webhooks and the event feed (a tenant holds at most 100 webhooks: creations and deletions are each in their own tenant)
    createWebhook: async (i) => ({
      tenant: `bench-wh-${i}`,
      body: { url: `https://93.184.215.14/hooks/${i}`, eventTypes: ['CustomerCreated', 'CustomerUpdated'] },
    }),
    listWebhooks: fixed({}),
    getWebhook: fixed({ params: { id: s.webhook } }),
    updateWebhook: async (i) => ({ params: { id: s.webhook }, body: { description: `revision ${i}` } }),
    deleteWebhook: async (i) => ({
      tenant: `bench-whd-${i}`,
      params: { id: String((await invoke('createWebhook', { tenant: `bench-whd-${i}`, body: { url: 'https://93.184.215.14/gone', eventTypes: ['*'] } })).id) },
    }),
    rotateWebhookSecret: fixed({ params: { id: s.webhook }, body: { overlapHours: 1 } }),
    listWebhookDeliveries: fixed({ params: { id: s.webhook }, query: { limit: '20' } }),
    redeliverWebhookDelivery: async (i) => {
      await s.delivery(`REDO${String(i).padStart(4, '0')}`);
      return { params: { id: s.webhook, deliveryId: `REDO${String(i).padStart(4, '0')}` } };
    },
    listEvents: fixed({ query: { limit: '50' } }),
    // BIAN Customer Case Management
    bianCaseMgmtCreate: fixed({ body: { CustomerCaseManagementPlanPeriod: '2026-Q4', CustomerCasePoliciesAndGuidelines: 'Answer within a day' } }),
    bianCaseMgmtUpdate: async (i) => ({ params: casePlan, body: { CustomerCaseServicePerformanceGoals: `${80 + (i % 20)}% in target` } }),
    bianCaseMgmtRequest: async () => ({
      params: { customercasemanagementid: await s.casePlan() },
      body: { CustomerCasePoliciesAndGuidelines: 'Review escalation policy' },
    }),
    bianCaseMgmtRetrieve: fixed({ params: casePlan }),
    bianCaseMgmtUpdateRules: async (i) => ({ params: { ...casePlan, rulesid: 'rules-1' }, body: { CustomerCaseDecisionCriterion: `Impact ${i}` } }),
    bianCaseMgmtRequestRules: async (i) => {
      await invoke('bianCaseMgmtUpdateRules', { params: { ...casePlan, rulesid: `rules-r${i}` }, body: { CustomerCaseDecisionCriterion: 'Impact' } });
      return { params: { ...casePlan, rulesid: `rules-r${i}` }, body: { CustomerCaseDecisionCriterion: 'Re-evaluate' } };
    },
    bianCaseMgmtRetrieveRules: fixed({ params: { ...casePlan, rulesid: 'rules-1' } }),
    bianCaseMgmtUpdatePerformance: async (i) => ({ params: { ...casePlan, performanceid: 'perf-1' }, body: { CustomerCaseLoadingProjections: `Flat ${i}` } }),
    bianCaseMgmtRequestPerformance: async (i) => {
      await invoke('bianCaseMgmtUpdatePerformance', { params: { ...casePlan, performanceid: `perf-r${i}` }, body: { CustomerCaseLoadingProjections: 'Flat' } });
      return { params: { ...casePlan, performanceid: `perf-r${i}` }, body: { CustomerCaseResourceUtilization: 'Add a second shift' } };
    },
    bianCaseMgmtRetrievePerformance: fixed({ params: { ...casePlan, performanceid: 'perf-1' } }),
  };
};
