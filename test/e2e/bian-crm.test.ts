import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../functions/http/operation.ts';
import { uniqueTenant } from '../../lib/local/direct-call.ts';
import { http, token } from '../support/http.ts';
import { bianSchemaErrors } from '../support/bian-schema.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';
import { recordView } from '../../functions/bian-crm/records.ts';

const BASE = '/CustomerRelationshipManagement';
const plan = {
  CustomerReference: {
    PartyReference: {
      PartyName: { Name: 'Acme BV' },
      PartyType: 'Organisation',
      PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: 'cust-1' } } },
    },
  },
  CustomerInsightDescription: { Text: 'Growing logistics firm' },
};
const valid = (name: string, body: unknown) => expect(bianSchemaErrors('bian-crm', name, body)).toEqual([]);

/** Every BIAN answer is checked: a record against the official v12 schema and Rapport's documented extensions, an error as HTTPError. */
const bian = async (method: string, path: string, options: Parameters<typeof http>[2] = {}) => {
  const answer = await http(method, path, options);
  if (answer.status === 200) {
    const kind = (['Development', 'Incident', 'Contact'] as const).find((k) => path.includes(`/${k}/`)) ?? 'CustomerRelationshipManagementPlan';
    valid(kind, answer.body);
    expect(recordView(kind).safeParse(answer.body).success, JSON.stringify(answer.body)).toBe(true);
  } else {
    valid('HTTPError', answer.body);
  }
  return answer;
};
const httpError = (body: Record<string, unknown>, status: number) => {
  expect(Object.keys(body).sort()).toEqual(['message', 'status', 'status_code']);
  expect(body.status_code).toBe(String(status));
  valid('HTTPError', body);
};

describe('BIAN Customer Relationship Management v12 over HTTP', () => {
  it('creates (200 + Location), retrieves, updates by merging, and refuses wrong types and unknown fields with HTTPError 400', async () => {
    const auth = token({ tenant: uniqueTenant() });
    const created = await bian('POST', `${BASE}/Create`, { token: auth, body: plan });
    expect(created.status).toBe(200);
    valid('CustomerRelationshipManagementPlan', created.body);
    const id = created.body.CustomerRelationshipManagementPlanReference;
    expect(created.body).toMatchObject({ ...plan, CustomerRelationshipManagementPlanStatus: 'active', ActionRecords: [] });
    expect(created.headers.get('location')).toMatch(new RegExp(`${BASE}/${id}/Retrieve$`));
    const updated = await bian('PUT', `${BASE}/${id}/Update`, { token: auth, body: { CustomerInsightType: { Text: 'Strategic' } } });
    expect(updated.body).toMatchObject({ ...plan, CustomerInsightType: { Text: 'Strategic' } });
    const retrieved = await bian('GET', `${BASE}/${id}/Retrieve`, { token: auth });
    expect(retrieved.body).toEqual(updated.body);
    valid('CustomerRelationshipManagementPlan', retrieved.body);

    const wrongType = await bian('POST', `${BASE}/Create`, { token: auth, body: { CustomerInsightDescription: { Text: 42 } } });
    expect(wrongType.status).toBe(400);
    httpError(wrongType.body, 400);
    expect(wrongType.body.message).toMatch(/CustomerInsightDescription.Text must be a string/);
    const unknown = await bian('POST', `${BASE}/Create`, { token: auth, body: { ...plan, Colour: 'red' } });
    expect(unknown.body.message).toMatch(/unknown field 'Colour'/);
    const badEnum = await bian('POST', `${BASE}/Create`, { token: auth, body: { CustomerReference: { PartyReference: { PartyType: 'Alien' } } } });
    expect(badEnum.status).toBe(400);
    const missing = await bian('GET', `${BASE}/nope/Retrieve`, { token: auth });
    expect(missing.status).toBe(404);
    httpError(missing.body, 404);
    expect((await bian('GET', `${BASE}/${id}/Retrieve`, { token: token({ tenant: uniqueTenant() }) })).status).toBe(404);
    expect((await bian('PUT', `${BASE}/${id}/Update`, { token: token({ scopes: [SCOPES.read] }), body: {} })).status).toBe(403);
  });

  it('runs the plan lifecycle: active ⇄ suspended → terminated, with 409 for what the status forbids', async () => {
    const auth = token({ tenant: uniqueTenant() });
    const id = (await bian('POST', `${BASE}/Create`, { token: auth, body: plan })).body.CustomerRelationshipManagementPlanReference;
    const dev = (await bian('POST', `${BASE}/${id}/Development/Create`, { token: auth, body: { CustomerDevelopmentTaskType: { Text: 'Cross-sell' } } })).body
      .DevelopmentReference;
    expect((await bian('PUT', `${BASE}/${id}/Control`, { token: auth, body: {} })).status).toBe(400);
    expect((await bian('PUT', `${BASE}/${id}/Control`, { token: auth, body: { ControlActionType: 'pause' } })).status).toBe(400);
    const resumeActive = await bian('PUT', `${BASE}/${id}/Control`, { token: auth, body: { ControlActionType: 'resume' } });
    expect(resumeActive.status).toBe(409);
    httpError(resumeActive.body, 409);
    const suspended = await bian('PUT', `${BASE}/${id}/Control`, {
      token: auth,
      body: { ControlActionType: 'suspend', ControlActionReason: 'customer review' },
    });
    expect(suspended.body.CustomerRelationshipManagementPlanStatus).toBe('suspended');
    expect(suspended.body.ActionRecords[0]).toMatchObject({
      ActionType: 'Control',
      ActionDetails: { ControlActionType: 'suspend', ControlActionReason: 'customer review' },
    });
    const blocked = await bian('PUT', `${BASE}/${id}/Update`, { token: auth, body: { CustomerInsightType: { Text: 'x' } } });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/suspended; only Control/);
    expect((await bian('PUT', `${BASE}/${id}/Development/${dev}/Update`, { token: auth, body: {} })).status).toBe(409);
    expect((await bian('GET', `${BASE}/${id}/Retrieve`, { token: auth })).status).toBe(200);
    expect(
      (await bian('PUT', `${BASE}/${id}/Control`, { token: auth, body: { ControlActionType: 'resume' } })).body.CustomerRelationshipManagementPlanStatus,
    ).toBe('active');
    expect(
      (await bian('PUT', `${BASE}/${id}/Development/${dev}/Update`, { token: auth, body: { CustomerDevelopmentTaskDescription: { Text: 'Offer leasing' } } }))
        .status,
    ).toBe(200);
    expect(
      (await bian('PUT', `${BASE}/${id}/Control`, { token: auth, body: { ControlActionType: 'terminate' } })).body.CustomerRelationshipManagementPlanStatus,
    ).toBe('terminated');
    for (const [method, path, body] of [
      ['PUT', `${BASE}/${id}/Control`, { ControlActionType: 'resume' }],
      ['PUT', `${BASE}/${id}/Request`, { CustomerInsightType: { Text: 'x' } }],
      ['PUT', `${BASE}/${id}/Development/${dev}/Request`, { CustomerDevelopmentTaskType: { Text: 'x' } }],
      ['POST', `${BASE}/${id}/Incident/Create`, {}],
    ] as const) {
      const answer = await http(method, path, { token: auth, body });
      expect(answer.status, path).toBe(409);
      expect(answer.body.message).toMatch(/terminated; it can only be retrieved/);
    }
    valid('Development', (await bian('GET', `${BASE}/${id}/Development/${dev}/Retrieve`, { token: auth })).body);
  });

  it('decides an exchange once, appends Request/Grant/Capture action records, and moves incident priority and status', async () => {
    const auth = token({ tenant: uniqueTenant() });
    const id = (await bian('POST', `${BASE}/Create`, { token: auth, body: plan })).body.CustomerRelationshipManagementPlanReference;
    const accepted = await bian('PUT', `${BASE}/${id}/Exchange`, { token: auth, body: { ExchangeActionType: 'accept' } });
    expect(accepted.body.CustomerRelationshipManagementPlanExchangeStatus).toBe('accepted');
    expect((await bian('PUT', `${BASE}/${id}/Exchange`, { token: auth, body: { ExchangeActionType: 'reject' } })).status).toBe(409);
    expect((await bian('PUT', `${BASE}/${id}/Exchange`, { token: auth, body: { ExchangeActionType: 'confirm' } })).status).toBe(400);
    const requested = await bian('PUT', `${BASE}/${id}/Request`, { token: auth, body: { CustomerInsightType: { Text: 'Review budget' } } });
    const granted = await bian('PUT', `${BASE}/${id}/Grant`, { token: auth, body: { CustomerInsightType: { Text: 'Budget approved' } } });
    expect(granted.body.ActionRecords.map((a: { ActionType: string }) => a.ActionType)).toEqual(['Request', 'Grant']);
    expect(requested.body.ActionRecords[0]).toEqual({
      ActionTaskReference: expect.any(String),
      ActionType: 'Request',
      ActionDateTime: expect.any(String),
      ActionInvolvedParty: 'e2e-user',
      ActionDetails: { CustomerInsightType: { Text: 'Review budget' } },
    });

    const incident = await bian('POST', `${BASE}/${id}/Incident/Create`, {
      token: auth,
      body: { CustomerIncidentType: { Text: 'Complaint' }, RelationshipIncidentRecord: { CustomerIncidentDescription: 'Late delivery' } },
    });
    valid('Incident', incident.body);
    const incidentId = incident.body.IncidentReference;
    expect(incident.body).toMatchObject({ IncidentStatus: 'active', IncidentPriority: 'medium', CustomerRelationshipManagementPlanReference: id });
    const control = (action: string) => bian('PUT', `${BASE}/${id}/Incident/${incidentId}/Control`, { token: auth, body: { ControlActionType: action } });
    expect((await control('raisePriority')).body.IncidentPriority).toBe('high');
    expect((await control('raisePriority')).body.IncidentPriority).toBe('critical');
    expect((await control('raisePriority')).status).toBe(409);
    expect((await control('lowerPriority')).body.IncidentPriority).toBe('high');
    const captured = await bian('PUT', `${BASE}/${id}/Incident/${incidentId}/Capture`, {
      token: auth,
      body: { CustomerIncidentDescription: { Text: 'Driver was sick' } },
    });
    expect(captured.body.ActionRecords.at(-1)).toMatchObject({
      ActionType: 'Capture',
      ActionDetails: { CustomerIncidentDescription: { Text: 'Driver was sick' } },
    });
    expect(
      (await bian('PUT', `${BASE}/${id}/Incident/${incidentId}/Exchange`, { token: auth, body: { ExchangeActionType: 'confirm' } })).body
        .IncidentExchangeStatus,
    ).toBe('confirmed');
    expect((await bian('PUT', `${BASE}/${id}/Incident/${incidentId}/Exchange`, { token: auth, body: { ExchangeActionType: 'verify' } })).status).toBe(400);
    expect((await control('terminate')).body.IncidentStatus).toBe('terminated');
    expect((await bian('PUT', `${BASE}/${id}/Incident/${incidentId}/Update`, { token: auth, body: {} })).status).toBe(409);
    expect((await bian('GET', `${BASE}/${id}/Incident/nope/Retrieve`, { token: auth })).status).toBe(404);

    const contact = await bian('POST', `${BASE}/${id}/Contact/Create`, {
      token: auth,
      body: { CustomerRelationshipContactType: { Text: 'Visit' }, CustomerRelationshipContactDate: { DateContent: '2026-12-01' } },
    });
    valid('Contact', contact.body);
    const contactId = contact.body.ContactReference;
    expect(
      (await bian('PUT', `${BASE}/${id}/Contact/${contactId}/Update`, { token: auth, body: { CustomerRelationshipContactResult: { Text: 'Signed' } } })).body
        .CustomerRelationshipContactResult,
    ).toEqual({ Text: 'Signed' });
    expect(
      (await bian('PUT', `${BASE}/${id}/Contact/${contactId}/Request`, { token: auth, body: { CustomerRelationshipContactType: { Text: 'Follow-up' } } })).body
        .ActionRecords,
    ).toHaveLength(1);
    valid('Contact', (await bian('GET', `${BASE}/${id}/Contact/${contactId}/Retrieve`, { token: auth })).body);
    const development = await bian('POST', `${BASE}/${id}/Development/Create`, { token: auth, body: {} });
    const devId = development.body.DevelopmentReference;
    expect(
      (await bian('PUT', `${BASE}/${id}/Development/${devId}/Exchange`, { token: auth, body: { ExchangeActionType: 'verify' } })).body
        .DevelopmentExchangeStatus,
    ).toBe('verified');
    expect(
      (await bian('PUT', `${BASE}/${id}/Development/${devId}/Request`, { token: auth, body: { CustomerDevelopmentTaskType: { Text: 'Workshop' } } })).status,
    ).toBe(200);

    const events = (
      (await http('GET', '/_local/events', { token: null })).body as {
        source: string;
        'detail-type': string;
        detail: { subject: { id: string }; data: { action: string; status: string | null } };
      }[]
    ).filter((e) => e.source === 'rapport.bian.crm' && e.detail.subject.id === incidentId);
    expect(events.map((e) => [e['detail-type'], e.detail.data.action])).toEqual([
      ['Incident/Created', 'Create'],
      ['Incident/Updated', 'Control'],
      ['Incident/Updated', 'Control'],
      ['Incident/Updated', 'Control'],
      ['Incident/Updated', 'Capture'],
      ['Incident/Updated', 'Exchange'],
      ['Incident/Updated', 'Control'],
    ]);
    expect(events.at(-1)?.detail.data.status).toBe('terminated');
    for (const event of events) expect(eventSchemaErrors(event.source, event['detail-type'], event.detail)).toEqual([]);
  });
});

describe('BIAN plans linked to CRM customers', () => {
  it('links a plan to the customer it names: its dated contacts and development tasks become the customer’s activities, which the due sweep sees', async () => {
    const tenant = uniqueTenant();
    const auth = token({ tenant });
    const { body: customer } = await http('POST', '/api/v1/crm/customers', { token: auth, body: { name: 'Linked BV', type: 'ORGANIZATION' } });
    const reference = (value: string) => ({
      CustomerReference: { PartyReference: { PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: value } } } } },
    });
    const linked = await bian('POST', `${BASE}/Create`, { token: auth, body: reference(customer.id) });
    expect(linked.body.LinkedCustomerReference).toBe(customer.id);
    valid('CustomerRelationshipManagementPlan', linked.body);
    const external = await bian('POST', `${BASE}/Create`, { token: auth, body: reference('not-a-customer') });
    expect(external.body).toMatchObject({ ExternalCustomerReference: 'not-a-customer' });
    expect(external.body).not.toHaveProperty('LinkedCustomerReference');
    const otherTenant = await bian('POST', `${BASE}/Create`, { token: token({ tenant: uniqueTenant() }), body: reference(customer.id) });
    expect(otherTenant.body.ExternalCustomerReference).toBe(customer.id);

    const planId = linked.body.CustomerRelationshipManagementPlanReference;
    const visit = await bian('POST', `${BASE}/${planId}/Contact/Create`, {
      token: auth,
      body: { CustomerRelationshipContactType: { Text: 'Site visit' }, CustomerRelationshipContactDate: { DateContent: '2025-05-01' } },
    });
    const call = await bian('POST', `${BASE}/${planId}/Contact/Create`, {
      token: auth,
      body: { CustomerRelationshipContactType: { Text: 'Phone call' }, CustomerRelationshipContactDate: { DateContent: '2999-01-01T10:00:00Z' } },
    });
    await bian('POST', `${BASE}/${planId}/Contact/Create`, { token: auth, body: { CustomerRelationshipContactType: { Text: 'Undated' } } });
    const task = await bian('POST', `${BASE}/${planId}/Development/Create`, {
      token: auth,
      body: { CustomerDevelopmentTaskType: { Text: 'Propose leasing' } },
    });
    await bian('POST', `${BASE}/${external.body.CustomerRelationshipManagementPlanReference}/Development/Create`, { token: auth, body: {} });

    const enriched = await http('GET', `/api/v1/crm/customers/${customer.id}`, { token: auth });
    const activities = enriched.body.recentActivities as { id: string; type: string; subject: string; dueDate?: string }[];
    expect(activities.map((a) => [a.id, a.type, a.subject, a.dueDate]).sort()).toEqual(
      [
        [visit.body.ContactReference, 'MEETING', 'Site visit', '2025-05-01T00:00:00.000Z'],
        [call.body.ContactReference, 'CALL', 'Phone call', '2999-01-01T10:00:00.000Z'],
        [task.body.DevelopmentReference, 'TASK', 'Propose leasing', undefined],
      ].sort(),
    );
    await bian('PUT', `${BASE}/${planId}/Contact/${visit.body.ContactReference}/Update`, {
      token: auth,
      body: { CustomerRelationshipContactResult: { Text: 'Good meeting' } },
    });
    const listed = await http('GET', `/api/v1/crm/customers/${customer.id}/activities`, { token: auth });
    expect(listed.body.find((a: { id: string }) => a.id === visit.body.ContactReference).outcome).toBe('Good meeting');

    await http('POST', '/_local/schedules/due-sweep', { token: null });
    const due = (
      (await http('GET', '/_local/events', { token: null })).body as { 'detail-type': string; detail: { tenantId: string; subject: { id: string } } }[]
    ).filter((e) => e.detail.tenantId === tenant && e['detail-type'] === 'ActivityDue');
    expect(due.map((e) => e.detail.subject.id)).toEqual([visit.body.ContactReference]);

    // An update that changes the reference decides the link again; one that does not keeps it.
    const later = (await bian('POST', `${BASE}/Create`, { token: auth, body: reference('not-yet') })).body.CustomerRelationshipManagementPlanReference;
    const relinked = await bian('PUT', `${BASE}/${later}/Update`, { token: auth, body: reference(customer.id) });
    expect(relinked.body).toMatchObject({ LinkedCustomerReference: customer.id });
    expect(relinked.body).not.toHaveProperty('ExternalCustomerReference');
    const kept = await bian('PUT', `${BASE}/${later}/Update`, { token: auth, body: { CustomerInsightType: { Text: 'Key account' } } });
    expect(kept.body.LinkedCustomerReference).toBe(customer.id);
  });
});
