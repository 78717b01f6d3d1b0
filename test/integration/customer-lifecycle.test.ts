/**
 * A customer's whole life against DynamoDB Local, through the real handlers: delete (gone from
 * every family at once), restore (everything back), purge (nothing left), erasure (no personal
 * value anywhere in the table), export (complete, in bounded parts), and writes racing a delete.
 */
import { describe, expect, it } from 'vitest';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as crmCreate from '../../functions/crm/create-customer.ts';
import * as crmGet from '../../functions/crm/get-customer.ts';
import * as crmList from '../../functions/crm/list-customers.ts';
import * as crmDelete from '../../functions/crm/delete-customer.ts';
import * as crmRestore from '../../functions/crm/restore-customer.ts';
import * as crmErase from '../../functions/crm/erase-customer.ts';
import * as crmExport from '../../functions/crm/export-customer.ts';
import * as crmDuplicates from '../../functions/crm/find-duplicates.ts';
import * as crmUpdate from '../../functions/crm/update-customer.ts';
import * as crmMerge from '../../functions/crm/merge-customer.ts';
import * as crmUnmerge from '../../functions/crm/unmerge-customer.ts';
import * as listOpportunities from '../../functions/crm/list-opportunities.ts';
import * as bianCreate from '../../functions/bian-crm/create.ts';
import * as bianRetrieve from '../../functions/bian-crm/retrieve.ts';
import * as bianRequest from '../../functions/bian-crm/request.ts';
import * as bianCreateContact from '../../functions/bian-crm/create-contact.ts';
import * as bianCreateDevelopment from '../../functions/bian-crm/create-development.ts';
import * as bianCreateIncident from '../../functions/bian-crm/create-incident.ts';
import * as bianControlIncident from '../../functions/bian-crm/control-incident.ts';
import { bianCrm } from '../../functions/bian-crm/operations.ts';
import * as createActivity from '../../functions/crm/create-activity.ts';
import * as listActivities from '../../functions/crm/list-activities.ts';
import * as updateActivity from '../../functions/crm/update-activity.ts';
import * as createOpportunity from '../../functions/crm/create-opportunity.ts';
import * as addTag from '../../functions/crm/add-tag.ts';
import * as tmfRetrieve from '../../functions/tmf629/retrieve-customer.ts';
import * as tmfList from '../../functions/tmf629/list-customer.ts';
import * as v3Retrieve from '../../functions/tmf629/v3/retrieve-customer.ts';
import * as v5Create from '../../functions/tmf629/v5/create-customer.ts';
import * as v5Delete from '../../functions/tmf629/v5/delete-customer.ts';
import * as v5Retrieve from '../../functions/tmf629/v5/retrieve-customer.ts';
import { handler as sweep } from '../../functions/schedules/due-sweep.ts';
import { crm } from '../../functions/crm/operations.ts';
import { tmf629, tmf629v3, tmf629v5 } from '../../functions/tmf629/operations.ts';
import { batchWrite, db, getItems, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { deleteCustomer, eraseCustomer, getCustomerState, purgeStep } from '../../functions/storage/customers/customer-lifecycle.ts';
import { caseStatisticsKeys, sumStatistics } from '../../functions/storage/bian/case-statistics.ts';
import { linkedPlanKey } from '../../functions/storage/bian/plan-links.ts';
import { mergeCustomers, moveMergedStep } from '../../functions/storage/customers/customer-merge.ts';
import { getCustomer } from '../../functions/storage/customers/customers.ts';
import { call, lambdaContext, uniqueTenant } from '../../lib/local/direct-call.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';

/** Every item of one item collection. */
const partition = async (pk: string) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};
const collection = (tenant: string, id: string) => partition(keys.customer(tenant, id).pk);

/** Every item of the whole table whose text holds any of `values` (a test may scan; no request path does). */
const itemsHolding = async (values: string[]) => {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item, (_key, value: unknown) => (value instanceof Set ? [...value] : value));
      if (values.some((value) => text.includes(value))) found.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
};

/** N timeline events written straight into the customer's collection (a long history, quickly), each described `text`. */
const history = async (tenant: string, id: string, n: number, text: string) => {
  const { pk } = keys.customer(tenant, id);
  const sk = (i: number) => `EVENT#0000-${id}-${String(i).padStart(5, '0')}`;
  await batchWrite(
    Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk, sk: sk(i), entity: 'EVENT', detailType: 'CustomerUpdated', description: text } } })),
  );
};

/** A BIAN CRM plan whose CustomerReference names `customerId` (so it is linked to that customer), with these fields besides. */
const linkedPlan = async (tenant: string, customerId: string, fields: Record<string, unknown> = {}) => {
  const plan = await call(bianCreate.handler, bianCrm.bianCrmCreate, {
    tenant,
    body: { CustomerReference: { PartyReference: { PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: customerId } } } } }, ...fields },
  });
  expect(plan.body.LinkedCustomerReference).toBe(customerId);
  return plan.body.CustomerRelationshipManagementPlanReference as string;
};

/** A CRM customer with an owner, tags, a due activity, an opportunity; made with an Idempotency-Key. */
const richCustomer = async (tenant: string, marker: string) => {
  const created = await call(crmCreate.handler, crm.createCrmCustomer, {
    tenant,
    headers: { 'idempotency-key': `key-${marker}` },
    body: { name: `Anna ${marker}`, type: 'PERSON', email: `anna.${marker}@mail.example`, phone: `+31 6 ${marker}`, ownerId: 'owner-1' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const activity = await call(createActivity.handler, crm.createActivity, {
    tenant,
    params: { id },
    body: { type: 'CALL', subject: `Call Anna ${marker}`, dueDate: '2099-01-01T09:00:00Z' },
  });
  expect(activity.status).toBe(201);
  expect(
    (await call(createOpportunity.handler, crm.createOpportunity, { tenant, params: { id }, body: { name: `Mortgage ${marker}`, value: 250000 } })).status,
  ).toBe(201);
  expect((await call(addTag.handler, crm.addCrmTag, { tenant, params: { id, tag: 'vip' } })).status).toBe(200);
  return { id, activityId: activity.body.id as string };
};

/** The customer's timeline (EVENT#, in order) and its mirrored events (MIRROR#: TMF events of CRM changes). */
const eventTypes = async (tenant: string, id: string) => {
  const items = await collection(tenant, id);
  const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix)).map((i) => String(i.detailType));
  return { timeline: of('EVENT#'), mirrors: of('MIRROR#') };
};

describe('delete and restore', () => {
  it('a deleted customer is gone at once from every read and list of every family, and nothing of it can be written', async () => {
    const tenant = uniqueTenant();
    const { id, activityId } = await richCustomer(tenant, '1001');
    const other = await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { name: 'Bert', type: 'PERSON' } });
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('2');

    const deleted = await call(crmDelete.handler, crm.deleteCrmCustomer, { tenant, params: { id } });
    expect(deleted.status).toBe(204);

    expect((await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(tmfRetrieve.handler, tmf629.retrieveCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(v3Retrieve.handler, tmf629v3.retrieveCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(v5Retrieve.handler, tmf629v5.retrieveCustomer, { tenant, params: { id } })).status).toBe(404);
    const tmfPage = await call(tmfList.handler, tmf629.listCustomer, { tenant });
    expect(tmfPage.body.map((c: { id: string }) => c.id)).toEqual([other.body.id]);
    expect(tmfPage.headers['x-total-count']).toBe('1');
    expect((await call(crmList.handler, crm.listCrmCustomers, { tenant })).body.map((c: { id: string }) => c.id)).toEqual([other.body.id]);
    expect((await call(listActivities.handler, crm.listActivities, { tenant, params: { id } })).status).toBe(404);
    expect((await call(createActivity.handler, crm.createActivity, { tenant, params: { id }, body: { type: 'TASK', subject: 'x' } })).status).toBe(404);
    expect((await call(updateActivity.handler, crm.updateActivity, { tenant, params: { id, activityId }, body: { subject: 'y' } })).status).toBe(404);
    expect((await call(crmDelete.handler, crm.deleteCrmCustomer, { tenant, params: { id } })).status).toBe(404);

    const types = await eventTypes(tenant, id);
    expect(types.timeline.at(-1)).toBe('CustomerDeleted');
    expect(types.mirrors.at(-1)).toBe('CustomerDeleteEvent');
    const event = (await collection(tenant, id)).find((i) => i.detailType === 'CustomerDeleted');
    expect(eventSchemaErrors('rapport.crm', 'CustomerDeleted', event?.detail)).toEqual([]);
    // The due activity left the due index with its customer: the due sweep disarms it (functions/schedules/due-sweep.ts).
    const state = await getCustomerState(tenant, id);
    expect(state?.state).toBe('deleted');
  });

  it('restores a deleted customer with everything it owned, back in every list and count; a live one is 409', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '1002');
    const before = await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id } });
    expect((await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } })).status).toBe(409);
    await call(crmDelete.handler, crm.deleteCrmCustomer, { tenant, params: { id } });
    const restored = await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } });
    expect(restored.status).toBe(200);
    const after = await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id } });
    const { events: _e1, version: _v1, updated: _u1, updatedBy: _ub1, ...was } = before.body;
    const { events: _e2, version: _v2, updated: _u2, updatedBy: _ub2, ...now } = after.body;
    expect(now).toEqual(was);
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('1');
    expect((await call(listActivities.handler, crm.listActivities, { tenant, params: { id } })).body).toHaveLength(1);
    const types = await eventTypes(tenant, id);
    expect(types.timeline.slice(-2)).toEqual(['CustomerDeleted', 'CustomerRestored']);
    expect(types.mirrors.slice(-2)).toEqual(['CustomerDeleteEvent', 'CustomerCreateEvent']);
  });

  it('a TMF DELETE in any generation is restorable through the CRM API', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, {
      tenant,
      body: { '@type': 'Customer', name: 'Vijf', engagedParty: { '@type': 'PartyRef', id: 'p-5' }, role: 'gold' },
    });
    const id = created.body.id;
    expect((await call(v5Delete.handler, tmf629v5.deleteCustomer, { tenant, params: { id } })).status).toBe(204);
    expect((await call(v5Retrieve.handler, tmf629v5.retrieveCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } })).status).toBe(200);
    expect((await call(v5Retrieve.handler, tmf629v5.retrieveCustomer, { tenant, params: { id } })).body).toEqual(created.body);
  });

  it('after the window: 404 on restore, and the purge leaves nothing the customer owned (its idempotency record included); a linked plan keeps its record', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '1003');
    const planId = await linkedPlan(tenant, id);
    const record = (await getCustomer(tenant, id))!;
    // A deletion whose window ended in 2018: the due sweep of a 2018 schedule purges it (nothing else in the run is due that early).
    await deleteCustomer(
      record,
      { ...record, version: record.version + 1 },
      { deletedAt: '2018-05-01T00:00:00.000Z', deletedBy: 'user-1', purgeAt: '2018-05-31T00:00:00.000Z' },
      [],
    );
    expect((await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } })).status).toBe(404);
    expect(await itemsHolding([`key-1003`])).toHaveLength(2); // the idempotency record and its pointer
    const result = await sweep({ scheduledTime: '2018-06-01T00:00:00Z' }, lambdaContext('due-sweep'));
    expect(result.purged).toBeGreaterThanOrEqual(8);
    expect(await collection(tenant, id)).toEqual([]);
    expect(await itemsHolding(['anna.1003@mail.example', 'key-1003'])).toEqual([]);
    expect(await getCustomerState(tenant, id)).toBeUndefined();
    // A deletion is not an erasure: the plan is the BIAN family's record and stays, without the link.
    const plan = await call(bianRetrieve.handler, bianCrm.bianCrmRetrieve, { tenant, params: { customerrelationshipmanagementid: planId } });
    expect(plan.status).toBe(200);
    expect(plan.body.LinkedCustomerReference).toBeUndefined();
  });
});

describe('erasure', () => {
  it('removes every personal value from the whole table at once, leaving a tombstone (id, when, who); idempotent; CustomerErased holds no personal data', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '2001');
    const personal = ['Anna 2001', 'anna.2001@mail.example', '+31 6 2001', 'Call Anna 2001', 'Mortgage 2001'];
    expect((await itemsHolding(personal)).length).toBeGreaterThan(5);
    const erased = await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id } });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id, erasedBy: 'user-1', status: 'erased', erasureCompletedAt: expect.any(String) });
    expect(await itemsHolding(personal)).toEqual([]);
    const left = await collection(tenant, id);
    expect(left).toHaveLength(1);
    expect(Object.keys(left[0]!).sort()).toEqual(['entity', 'erasedAt', 'erasedBy', 'erasureCompletedAt', 'id', 'pk', 'sequence', 'sk', 'tenantId', 'version']);
    expect((await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id } })).body).toEqual(erased.body);
    expect((await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } })).status).toBe(404);
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('0');
    expect((await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id: 'never-was' } })).status).toBe(404);
  });

  it('erases a customer with thousands of events in bounded steps: 202 while it goes on, the due sweep or a repeat finishes it', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '2002');
    await history(tenant, id, 1200, 'Called Anna 2002 about her mortgage');
    process.env.ERASURE_IN_REQUEST_MS = '1';
    try {
      const first = await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id } });
      expect(first.status).toBe(202);
      expect(first.body.status).toBe('erasing');
    } finally {
      delete process.env.ERASURE_IN_REQUEST_MS;
    }
    // Each further step is bounded by its own deadline; stepping until done shows the purge is re-entrant.
    let steps = 0;
    for (let progress = { done: false }; !progress.done; steps++) progress = await purgeStep('erased', tenant, id, Date.now() + 200, new Date().toISOString());
    expect(steps).toBeGreaterThan(1);
    expect(await itemsHolding(['Anna 2002'])).toEqual([]);
    expect((await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id } })).body.status).toBe('erased');
  });
});

describe('erasure of linked BIAN plans', () => {
  /** The tenant's case statistics, all shards added up. */
  const statistics = async (tenant: string) => sumStatistics(await getItems(caseStatisticsKeys(tenant)));

  it('erases a plan linked to the person with all it holds (Contact, Development and Incident records, action records, events, mirrored activities) in bounded steps the due sweep finishes; other plans stay', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '2003');
    const other = (await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { name: 'Anna 2004', type: 'PERSON' } })).body.id as string;
    const planId = await linkedPlan(tenant, id, { CustomerInsightDescription: { Text: 'Anna 2003 prefers e-mail' } });
    const plan = { customerrelationshipmanagementid: planId };
    const created = async (handler: typeof bianCreateContact.handler, operation: (typeof bianCrm)[keyof typeof bianCrm], body: Record<string, unknown>) => {
      const answer = await call(handler, operation, { tenant, params: plan, body });
      expect(answer.status).toBe(200);
      return answer.body as Record<string, string>;
    };
    await created(bianCreateContact.handler, bianCrm.bianCrmCreateContact, {
      CustomerRelationshipContactDate: { DateContent: '2099-02-01T10:00:00Z' },
      CustomerRelationshipContactType: { Text: 'Phone call with Anna 2003' },
      CustomerRelationshipContactResult: { Text: 'Reached anna.2003@mail.example' },
    });
    await created(bianCreateDevelopment.handler, bianCrm.bianCrmCreateDevelopment, {
      CustomerDevelopmentTaskType: { Text: 'Review' },
      CustomerDevelopmentTaskDescription: { Text: 'Mortgage review for Anna 2003' },
    });
    const open = await created(bianCreateIncident.handler, bianCrm.bianCrmCreateIncident, {
      CustomerIncidentDescription: { Text: 'Anna 2003 disputes a fee' },
    });
    const resolved = await created(bianCreateIncident.handler, bianCrm.bianCrmCreateIncident, {
      CustomerIncidentDescription: { Text: 'Anna 2003 lost her card' },
    });
    const control = (incidentid: string, body: Record<string, unknown>) =>
      call(bianControlIncident.handler, bianCrm.bianCrmControlIncident, { tenant, params: { ...plan, incidentid }, body });
    expect((await control(open.IncidentReference!, { ControlActionType: 'raisePriority', ControlActionReason: 'Anna 2003 called twice' })).status).toBe(200);
    expect((await control(resolved.IncidentReference!, { ControlActionType: 'terminate' })).status).toBe(200);
    expect(
      (await call(bianRequest.handler, bianCrm.bianCrmRequest, { tenant, params: plan, body: { CustomerInsightType: { Text: 'Call Anna 2003 back' } } }))
        .status,
    ).toBe(200);
    // A long history in the plan's collection: more than one step erases.
    await batchWrite(
      Array.from({ length: 150 }, (_, i) => ({
        PutRequest: {
          Item: { pk: linkedPlanKey(tenant, planId).pk, sk: `EVENT#0000-${String(i).padStart(5, '0')}`, entity: 'EVENT', description: 'Anna 2003 history' },
        },
      })),
    );
    // Another customer's plan stays as it is.
    const otherPlan = await linkedPlan(tenant, other, { CustomerInsightDescription: { Text: 'Anna 2004 stays' } });

    const personal = [
      'Anna 2003',
      'anna.2003@mail.example',
      '+31 6 2003',
      'Call Anna 2003',
      'Mortgage 2003',
      'Phone call with Anna 2003',
      'Mortgage review for Anna 2003',
      'disputes a fee',
      'lost her card',
      'called twice',
    ];
    // The plan, its records and their events; the activities mirrored into the customer's collection.
    const held = await partition(linkedPlanKey(tenant, planId).pk);
    expect(held.length).toBeGreaterThan(150);
    expect(new Set(held.map((item) => item.entity))).toEqual(
      new Set(['BIAN_CUSTOMERRELATIONSHIPMANAGEMENTPLAN', 'BIAN_CONTACT', 'BIAN_DEVELOPMENT', 'BIAN_INCIDENT', 'EVENT']),
    );
    expect((await collection(tenant, id)).filter((item) => item.bianPlanReference === planId).map((item) => item.subject)).toEqual(
      expect.arrayContaining(['Phone call with Anna 2003', 'Review']),
    );
    expect(await statistics(tenant)).toMatchObject({ open_high: 1, resolved_medium: 1 });

    // Erased in 2017 (only this test's items are due that early): the first step is bounded, the due sweep goes on to the end.
    const found = await getCustomerState(tenant, id);
    if (found?.state !== 'live') throw new Error('expected a live customer');
    const erasedAt = '2017-04-01T00:00:00.000Z';
    await eraseCustomer(found, { id, tenantId: tenant, erasedAt, erasedBy: 'user-1' }, []);
    expect((await purgeStep('erased', tenant, id, Date.now() + 1, new Date().toISOString())).done).toBe(false);
    for (let run = 0; run < 20; run++) {
      const state = await getCustomerState(tenant, id);
      if (state?.state === 'erased' && state.tombstone.erasureCompletedAt) break;
      await sweep({ scheduledTime: '2017-04-01T00:05:00Z' }, lambdaContext('due-sweep'));
    }
    const state = await getCustomerState(tenant, id);
    expect(state?.state === 'erased' && state.tombstone.erasureCompletedAt).toBeTruthy();

    expect(await itemsHolding(personal)).toEqual([]);
    expect((await call(bianRetrieve.handler, bianCrm.bianCrmRetrieve, { tenant, params: plan })).status).toBe(404);
    // The open incident left the case statistics with it; a resolved one stays counted (work done, no personal data).
    expect(await statistics(tenant)).toMatchObject({ open_high: 0, resolved_medium: 1 });
    expect((await call(bianRetrieve.handler, bianCrm.bianCrmRetrieve, { tenant, params: { customerrelationshipmanagementid: otherPlan } })).body).toMatchObject(
      {
        LinkedCustomerReference: other,
        CustomerInsightDescription: { Text: 'Anna 2004 stays' },
      },
    );
  }, 60_000); // a dozen BIAN writes before the erasure: ~7 s alone, more beside the rest of the suite
});

describe('export', () => {
  it('exports everything held, complete however long the history, in parts of bounded size', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '3001');
    for (let i = 0; i < 40; i++) await call(addTag.handler, crm.addCrmTag, { tenant, params: { id, tag: `t${i}` } });
    const stored = await collection(tenant, id);
    const parts: ReturnType<typeof JSON.parse>[] = [];
    let cursor: string | undefined;
    do {
      const part = await call(crmExport.handler, crm.exportCrmCustomer, { tenant, params: { id }, query: { limit: '10', ...(cursor ? { cursor } : {}) } });
      expect(part.status).toBe(200);
      parts.push(part.body);
      cursor = part.body.next;
    } while (cursor);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts[0].customer.crm).toMatchObject({ id, email: 'anna.3001@mail.example' });
    expect(parts[0].customer.tmf629).toMatchObject({ id, name: 'Anna 3001' });
    expect(parts.slice(1).every((p) => p.customer === undefined)).toBe(true);
    const all = (key: string) => parts.flatMap((p) => p[key]);
    expect(all('activities')).toHaveLength(1);
    expect(all('opportunities')).toHaveLength(1);
    expect(all('events')).toHaveLength(stored.filter((i) => i.entity === 'EVENT').length);
    expect(new Set(all('events').map((e: { eventId: string }) => e.eventId)).size).toBe(all('events').length);
    const forged = await call(crmExport.handler, crm.exportCrmCustomer, { tenant: uniqueTenant(), params: { id } });
    expect(forged.status).toBe(404);
  });
});

describe('a write racing a delete', () => {
  it('never leaves an orphan: each activity create either lands before the delete (and is restored with it) or is a 404', async () => {
    const tenant = uniqueTenant();
    const { id } = await richCustomer(tenant, '4001');
    const creates = Array.from({ length: 20 }, (_, i) =>
      call(createActivity.handler, crm.createActivity, { tenant, params: { id }, body: { type: 'TASK', subject: `race ${i}` } }),
    );
    const [deleted, ...answers] = await Promise.all([call(crmDelete.handler, crm.deleteCrmCustomer, { tenant, params: { id } }), ...creates]);
    expect(deleted.status).toBe(204);
    expect(answers.every((a) => a.status === 201 || a.status === 404)).toBe(true);
    const landed = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    const stored = (await collection(tenant, id)).filter((i) => i.entity === 'ACTIVITY').map((i) => String(i.id));
    expect(stored.sort()).toEqual([...landed, stored.find((s) => !landed.includes(s))!].sort());
    await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id } });
    expect((await call(listActivities.handler, crm.listActivities, { tenant, params: { id }, query: { limit: '100' } })).body).toHaveLength(landed.length + 1);
  });
});

describe('finding duplicates', () => {
  it('finds the tenant’s customers with the same normalised e-mail, phone or name, each with why, kept current by every write', async () => {
    const tenant = uniqueTenant();
    const create = async (body: Record<string, unknown>) =>
      (await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { type: 'PERSON', ...body } })).body.id as string;
    const a = await create({ name: 'Anna Müller', email: 'Anna.Muller@Mail.example', phone: '+31 6 1234 5678' });
    const b = await create({ name: 'anna  muller', email: 'other@mail.example' });
    const c = await create({ name: 'Someone Else', email: 'ANNA.muller@mail.EXAMPLE' });
    const d = await create({ name: 'Third', phone: '0031 (6) 12345678' });
    await create({ name: 'Unrelated', email: 'x@mail.example', phone: '+1 555 0100' });
    const v5 = await call(v5Create.handler, tmf629v5.createCustomer, {
      tenant,
      body: {
        '@type': 'Customer',
        name: 'From v5',
        engagedParty: { '@type': 'PartyRef', id: 'p' },
        contactMedium: [{ '@type': 'EmailContactMedium', emailAddress: 'ANNA.MULLER@MAIL.EXAMPLE' }],
      },
    });
    expect(v5.status, JSON.stringify(v5.body)).toBe(201);
    const fromV5 = v5.body.id as string;
    const duplicates = async () =>
      (await call(crmDuplicates.handler, crm.findCrmDuplicates, { tenant, params: { id: a } })).body as { customer: { id: string }; reasons: string[] }[];
    const found = await duplicates();
    expect(Object.fromEntries(found.map((f) => [f.customer.id, f.reasons]))).toEqual({ [b]: ['name'], [c]: ['email'], [d]: ['phone'], [fromV5]: ['email'] });

    await call(crmUpdate.handler, crm.updateCrmCustomer, { tenant, params: { id: c }, body: { email: 'changed@mail.example' } });
    await call(crmDelete.handler, crm.deleteCrmCustomer, { tenant, params: { id: b } });
    expect((await duplicates()).map((f) => f.customer.id).sort()).toEqual([d, fromV5].sort());
    await call(crmRestore.handler, crm.restoreCrmCustomer, { tenant, params: { id: b } });
    expect((await duplicates()).map((f) => f.customer.id)).toContain(b);
    const limited = await call(crmDuplicates.handler, crm.findCrmDuplicates, { tenant, params: { id: a }, query: { limit: '1' } });
    expect(limited.body).toHaveLength(1);
    expect((await call(crmDuplicates.handler, crm.findCrmDuplicates, { tenant, params: { id: a }, query: { limit: '0' } })).status).toBe(400);
  });
});

describe('merge and unmerge', () => {
  const tagsOf = async (tenant: string, id: string) => (await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id } })).body.tags;
  const activities = async (tenant: string, id: string) =>
    (await call(listActivities.handler, crm.listActivities, { tenant, params: { id }, query: { limit: '100' } })).body
      .map((a: { subject: string }) => a.subject)
      .sort();

  it('merges duplicates into a survivor: tags, activities, opportunities and a long timeline move; the merged ids point at it; unmerge undoes it', async () => {
    const tenant = uniqueTenant();
    const { id: survivor } = await richCustomer(tenant, '5001');
    const { id: first } = await richCustomer(tenant, '5002');
    const { id: second } = await richCustomer(tenant, '5003');
    await call(addTag.handler, crm.addCrmTag, { tenant, params: { id: first, tag: 'from-first' } });
    await history(tenant, first, 250, 'history of 5002');
    const etag = (await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id: survivor } })).headers.etag!;

    expect(
      (
        await call(crmMerge.handler, crm.mergeCrmCustomer, {
          tenant,
          params: { id: survivor },
          headers: { 'if-match': '"99"' },
          body: { duplicateIds: [first] },
        })
      ).status,
    ).toBe(412);
    expect((await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: [survivor] } })).status).toBe(400);
    expect((await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: ['nobody'] } })).status).toBe(404);
    const merged = await call(crmMerge.handler, crm.mergeCrmCustomer, {
      tenant,
      params: { id: survivor },
      headers: { 'if-match': etag },
      body: { duplicateIds: [first, second] },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.mergedIds).toEqual([first, second]);
    expect(merged.body.tags).toEqual(['from-first', 'vip']);
    // Retried (a lost answer): the same survivor, nothing merged twice.
    const again = await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: [first, second] } });
    expect(again.status).toBe(200);
    expect(again.body.mergedIds).toEqual([first, second]);
    // Whatever the request did not move, the due sweep's steps do.
    for (const duplicate of [first, second]) while (!(await moveMergedStep(tenant, duplicate, survivor, '2099-01-01T00:00:00.000Z', Date.now() + 1000)));

    const pointer = await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id: first } });
    expect(pointer.status).toBe(301);
    expect(pointer.headers.location).toBe(`https://api.test/api/v1/crm/customers/${survivor}`);
    const tmfPointer = await call(tmfRetrieve.handler, tmf629.retrieveCustomer, { tenant, params: { id: second } });
    expect(tmfPointer.status).toBe(301);
    expect(tmfPointer.headers.location).toBe(`https://api.test/tmf-api/customerManagement/v4/customer/${survivor}`);
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('1');
    expect(await activities(tenant, survivor)).toEqual(['Call Anna 5001', 'Call Anna 5002', 'Call Anna 5003']);
    expect((await call(listOpportunities.handler, crm.listOpportunities, { tenant, params: { id: survivor } })).body).toHaveLength(3);
    expect((await collection(tenant, first)).map((i) => i.entity)).toEqual(['MERGED_CUSTOMER']);
    const survivorItems = await collection(tenant, survivor);
    expect(survivorItems.filter((i) => i.description === 'history of 5002')).toHaveLength(250);
    const mergeEvent = survivorItems.find((i) => i.detailType === 'CustomersMerged');
    expect((mergeEvent?.detail as { data?: unknown } | undefined)?.data).toMatchObject({ survivorId: survivor, mergedIds: [first, second] });
    expect(eventSchemaErrors('rapport.crm', 'CustomersMerged', mergeEvent?.detail)).toEqual([]);

    const unmerged = await call(crmUnmerge.handler, crm.unmergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateId: first } });
    expect(unmerged.status).toBe(200);
    expect(unmerged.body).toMatchObject({ id: first, name: 'Anna 5002', tags: ['from-first', 'vip'] });
    expect(await tagsOf(tenant, survivor)).toEqual(['vip']);
    expect(await activities(tenant, first)).toEqual(['Call Anna 5002']);
    expect(await activities(tenant, survivor)).toEqual(['Call Anna 5001', 'Call Anna 5003']);
    expect((await collection(tenant, first)).filter((i) => i.description === 'history of 5002')).toHaveLength(250);
    expect((await collection(tenant, survivor)).filter((i) => i.description === 'history of 5002')).toHaveLength(0);
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('2');
    expect((await call(crmUnmerge.handler, crm.unmergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateId: first } })).status).toBe(409);
  });

  it('cannot unmerge after the window; erasing a survivor erases the duplicates merged into it', async () => {
    const tenant = uniqueTenant();
    const { id: survivor } = await richCustomer(tenant, '6001');
    const { id: duplicate } = await richCustomer(tenant, '6002');
    process.env.CUSTOMER_RETENTION_DAYS = String(1 / 86_400); // one second
    try {
      expect((await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: [duplicate] } })).status).toBe(200);
    } finally {
      delete process.env.CUSTOMER_RETENTION_DAYS;
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call(crmUnmerge.handler, crm.unmergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateId: duplicate } })).status).toBe(404);
    expect((await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id: survivor } })).status).toBe(200);
    expect((await getCustomerState(tenant, duplicate))?.state).toBe('erased');
    for (let done = false; !done; ) done = (await purgeStep('erased', tenant, duplicate, Date.now() + 1000, new Date().toISOString())).done;
    expect(await itemsHolding(['Anna 6002', 'anna.6002@mail.example', 'Anna 6001'])).toEqual([]);
  });

  it('the due sweep moves a merged duplicate’s items when the merge is due, and purges what is left of it when its window ends', async () => {
    const tenant = uniqueTenant();
    const { id: survivor } = await richCustomer(tenant, '7001');
    const { id: duplicate } = await richCustomer(tenant, '7002');
    const [s, d] = [(await getCustomer(tenant, survivor))!, (await getCustomer(tenant, duplicate))!];
    // A merge made in 2018, its window over in March 2018: only this test's items are due that early.
    const merger = { mergedInto: survivor, mergedAt: '2018-02-01T00:00:00.000Z', mergedBy: 'user-1', purgeAt: '2018-03-01T00:00:00.000Z', tagsAdded: [] };
    await mergeCustomers(s, { ...s, version: s.version + 1 }, [], [{ record: d, next: { ...d, version: d.version + 1 }, merger, events: [] }]);
    await sweep({ scheduledTime: '2018-02-02T00:00:00Z' }, lambdaContext('due-sweep'));
    expect((await collection(tenant, duplicate)).map((i) => i.entity)).toEqual(['MERGED_CUSTOMER']);
    expect(await activities(tenant, survivor)).toEqual(['Call Anna 7001', 'Call Anna 7002']);
    expect((await getCustomerState(tenant, duplicate))?.state).toBe('merged');
    await sweep({ scheduledTime: '2018-03-02T00:00:00Z' }, lambdaContext('due-sweep'));
    expect(await collection(tenant, duplicate)).toEqual([]);
    expect((await call(crmGet.handler, crm.getCrmCustomer, { tenant, params: { id: duplicate } })).status).toBe(404);
  });

  it('moves a linked BIAN plan with what it is linked to: exported with the customer, re-linked by a merge and an unmerge, erased with it by an erasure', async () => {
    const tenant = uniqueTenant();
    const { id: survivor } = await richCustomer(tenant, '8001');
    const { id: duplicate } = await richCustomer(tenant, '8002');
    const planId = await linkedPlan(tenant, duplicate);
    const linkOf = async () =>
      (await call(bianRetrieve.handler, bianCrm.bianCrmRetrieve, { tenant, params: { customerrelationshipmanagementid: planId } })).body
        .LinkedCustomerReference;

    const exported = await call(crmExport.handler, crm.exportCrmCustomer, { tenant, params: { id: duplicate }, query: { limit: '500' } });
    expect(exported.body.linkedPlans.map((p: { id: string }) => p.id)).toEqual([planId]);

    await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: [duplicate] } });
    expect(await linkOf()).toBe(survivor);
    await call(crmUnmerge.handler, crm.unmergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateId: duplicate } });
    expect(await linkOf()).toBe(duplicate);

    expect((await call(crmErase.handler, crm.eraseCrmCustomer, { tenant, params: { id: duplicate } })).status).toBe(200);
    expect((await call(bianRetrieve.handler, bianCrm.bianCrmRetrieve, { tenant, params: { customerrelationshipmanagementid: planId } })).status).toBe(404);
    expect(await itemsHolding([planId])).toEqual([]);
  });

  it('merges duplicates that share a name (and so a count item) in one transaction, and counts them right', async () => {
    const tenant = uniqueTenant();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await call(crmCreate.handler, crm.createCrmCustomer, { tenant, body: { name: 'Jan Jansen', type: 'PERSON' } })).body.id);
    const [survivor, ...duplicates] = ids as [string, ...string[]];
    const merged = await call(crmMerge.handler, crm.mergeCrmCustomer, { tenant, params: { id: survivor }, body: { duplicateIds: duplicates } });
    expect(merged.status).toBe(200);
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant, query: { name: 'Jan Jansen' } })).headers['x-total-count']).toBe('1');
    expect((await call(tmfList.handler, tmf629.listCustomer, { tenant })).headers['x-total-count']).toBe('1');
  });
});
